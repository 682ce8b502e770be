import { OrtSessionFactory } from '@yolo-distill/backend';
import type { Detection, GroundTruth, Split } from '@yolo-distill/core';
import { YoloDataset } from '@yolo-distill/data';
import { evaluateDetections } from '@yolo-distill/eval';
import { nonMaxSuppression, readOnnxModel } from '@yolo-distill/yolo';
import { EXIT, type CliIO } from '../cli-io.js';

/** The flags of `yolo-distill eval <model.onnx> --data <root>`. */
export interface EvalModelOptions {
  readonly data: string;
  readonly split?: string;
  readonly conf?: string | number;
  readonly iou?: string | number;
  readonly json?: boolean;
}

class EvalModelError extends Error {}

/**
 * `yolo-distill eval <model.onnx> --data <root>`: runs an Ultralytics-style ONNX detector (v5/v3 rows
 * `[1, N, 5 + nc]` with objectness, or v8 channel-first `[1, 4 + nc, N]`) on a YOLO dataset split,
 * letterboxed to the model's input size, with Ultralytics' validation NMS (conf 0.001, IoU 0.6), and
 * scores it (COCO mAP, P/R at the best F1). Boxes are compared in letterboxed pixels: letterboxing is
 * a uniform scale and shift, so IoUs and AP equal those in original pixels.
 */
export async function evalModelCommand(modelPath: string, options: EvalModelOptions, io: CliIO): Promise<number> {
  try {
    const split = (options.split ?? 'val') as Split;
    if (split !== 'train' && split !== 'val') throw new EvalModelError(`--split must be train or val, got '${String(options.split)}'`);
    const conf = Number(options.conf ?? 0.001);
    const iou = Number(options.iou ?? 0.6);
    const model = await readOnnxModel(modelPath);
    const input = model.inputs[0];
    const [, channels, height, width] = (input?.dims ?? []) as number[];
    if (!input || channels !== 3 || typeof height !== 'number' || height !== width) {
      throw new EvalModelError(`${modelPath}: expected one static square NCHW image input, found ${JSON.stringify(input?.dims ?? null)}`);
    }
    const data = await YoloDataset.open(options.data, { imageSize: height });
    await data.prepare();
    const numClasses = data.classNames.length;
    const session = await new OrtSessionFactory().create(modelPath);
    const detections: Detection[][] = [];
    const truths: GroundTruth[][] = [];
    try {
      for (let i = 0; i < data.size(split); i++) {
        const sample = await data.sample(split, i);
        const nchw = toNchw(sample.image.data, height, width);
        const outputs = await session.run({ [input.name]: { data: nchw, dims: [1, 3, height, width] } });
        const output = outputs[session.outputNames[0] as string];
        if (!output) throw new EvalModelError(`${modelPath}: the model returned no output`);
        const [, a, b] = output.dims as [number, number, number];
        const layout = b === 5 + numClasses ? 'rows' : a === 4 + numClasses ? 'channels-first' : undefined;
        if (!layout) {
          throw new EvalModelError(`${modelPath}: output ${JSON.stringify(output.dims)} fits neither [1, N, 5 + ${numClasses}] nor [1, 4 + ${numClasses}, N]: does the model have the dataset's ${numClasses} classes?`);
        }
        const found = nonMaxSuppression(output, { objectness: layout === 'rows', layout, numClasses, confThreshold: conf, iouThreshold: iou, maxDetections: 300 });
        detections.push(found[0] ?? []);
        const boxes: GroundTruth[] = [];
        for (let r = 0; r < sample.labels.count; r++) {
          const [cls, cx, cy, w, h] = Array.from(sample.labels.rows.subarray(r * 5, r * 5 + 5)) as [number, number, number, number, number];
          boxes.push({ cls, box: [(cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height] });
        }
        truths.push(boxes);
      }
    } finally {
      await session.release();
    }
    const report = evaluateDetections(detections, truths, { numClasses });
    if (options.json) io.stdout(`${JSON.stringify({ model: modelPath, data: options.data, split, imageSize: height, ...report }, null, 2)}\n`);
    else {
      io.stdout(`model ${modelPath} on ${options.data} (${split}, ${data.size(split)} images at ${height} px)\n`);
      io.stdout(`mAP50-95 ${report.map.toFixed(4)}  mAP50 ${report.map50.toFixed(4)}  mAP75 ${report.map75.toFixed(4)}  P ${report.precision.toFixed(3)}  R ${report.recall.toFixed(3)}\n`);
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof EvalModelError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
}

function toNchw(hwc: Float32Array, height: number, width: number): Float32Array {
  const plane = height * width;
  const out = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) {
    out[p] = hwc[p * 3] as number;
    out[plane + p] = hwc[p * 3 + 1] as number;
    out[2 * plane + p] = hwc[p * 3 + 2] as number;
  }
  return out;
}
