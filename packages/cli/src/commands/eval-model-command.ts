import type { PluginRegistry, Split } from '@yolo-distill/core';
import { readDataYaml, YoloDataset } from '@yolo-distill/data';
import { evaluateDetections } from '@yolo-distill/eval';
import { EXIT, type CliIO } from '../cli-io.js';
import { openDetector, type Detector } from '../models/detector.js';
import { detectSplit } from '../models/split-detections.js';
import { TrainedModelError } from '../models/trained-model.js';

/** The flags of `yolo-distill eval <model> --data <root>`. */
export interface EvalModelOptions {
  readonly data: string;
  readonly split?: string;
  readonly conf?: string | number;
  readonly iou?: string | number;
  readonly imgsz?: string | number;
  readonly json?: boolean;
}

class EvalModelError extends Error {}

/**
 * `yolo-distill eval <checkpoint | run folder | model.onnx> --data <root>`: runs a trained checkpoint
 * (its run's student in tfjs) or an Ultralytics-style ONNX detector (v5/v3 rows `[1, N, 5 + nc]` with
 * objectness, or v8 channel-first `[1, 4 + nc, N]`, in onnxruntime) on a YOLO dataset split,
 * letterboxed to the model's input size, with Ultralytics' validation NMS (conf 0.001, IoU 0.6), and
 * scores both the same way (COCO mAP, P/R at the best F1). Boxes are compared in letterboxed pixels:
 * letterboxing is a uniform scale and shift, so IoUs and AP equal those in original pixels.
 */
export async function evalModelCommand(modelPath: string, options: EvalModelOptions, registry: PluginRegistry, io: CliIO): Promise<number> {
  let detector: Detector | undefined;
  try {
    const split = (options.split ?? 'val') as Split;
    if (split !== 'train' && split !== 'val') throw new EvalModelError(`--split must be train or val, got '${String(options.split)}'`);
    const conf = Number(options.conf ?? 0.001);
    const iou = Number(options.iou ?? 0.6);
    const imgsz = options.imgsz === undefined ? undefined : Number(options.imgsz);
    const classes = (await readDataYaml(options.data)).names.length;
    detector = await openDetector(modelPath, registry, io, { classes, ...(imgsz !== undefined ? { imageSize: imgsz } : {}) });
    const size = detector.imageSize;
    const data = await YoloDataset.open(options.data, { imageSize: size });
    await data.prepare();
    const { detections, truths } = await detectSplit(detector, data, split, { conf, iou });
    const report = evaluateDetections(detections, truths, { numClasses: classes });
    if (options.json) io.stdout(`${JSON.stringify({ model: modelPath, runtime: detector.runtime, data: options.data, split, imageSize: size, ...report }, null, 2)}\n`);
    else {
      io.stdout(`model ${detector.name} (${detector.runtime}) on ${options.data} (${split}, ${data.size(split)} images at ${size} px)\n`);
      io.stdout(`mAP50-95 ${report.map.toFixed(4)}  mAP50 ${report.map50.toFixed(4)}  mAP75 ${report.map75.toFixed(4)}  P ${report.precision.toFixed(3)}  R ${report.recall.toFixed(3)}\n`);
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof EvalModelError || error instanceof TrainedModelError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  } finally {
    await detector?.dispose();
  }
}
