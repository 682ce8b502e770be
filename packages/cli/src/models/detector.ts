import { basename, extname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { OrtSessionFactory } from '@yolo-distill/backend';
import type { Detection, ImageTensorData, OnnxSession, PluginRegistry } from '@yolo-distill/core';
import { nonMaxSuppression, readOnnxModel, type DetectionPredictions } from '@yolo-distill/yolo';
import type { CliIO } from '../cli-io.js';
import { onnxClassNames } from './onnx-class-names.js';
import { openTrainedModel, TrainedModelError, type TrainedModel } from './trained-model.js';

export interface DetectOptions {
  readonly conf: number;
  readonly iou: number;
  readonly maxDetections?: number;
}

/** A model that finds boxes on letterboxed images: a trained checkpoint (tfjs) or an ONNX export. */
export interface Detector {
  readonly name: string;
  /** `tfjs (<backend>)` or `onnxruntime (<provider>)`. */
  readonly runtime: string;
  readonly classNames: readonly string[];
  /** The square input size images are letterboxed to. */
  readonly imageSize: number;
  /** Detections per image, xyxy in letterboxed pixels, after Ultralytics' NMS. */
  detect(images: readonly ImageTensorData[], options: DetectOptions): Promise<Detection[][]>;
  dispose(): Promise<void>;
}

export interface DetectorOptions {
  /** The square input size (default: the ONNX input's static size, or the run's data's). */
  readonly imageSize?: number;
  /** The class count the caller's data has (eval): checked against the model; ONNX names need not be in the file then. */
  readonly classes?: number;
}

/**
 * A detector for `path`: an `.onnx` file (Ultralytics layout `[1, N, 5 + nc]` or `[1, 4 + nc, N]`, run in
 * onnxruntime), or a checkpoint / run folder (the run's student in tfjs).
 */
export async function openDetector(path: string, registry: PluginRegistry, io: CliIO, options: DetectorOptions = {}): Promise<Detector> {
  if (extname(path).toLowerCase() === '.onnx') return openOnnxDetector(path, options);
  return trainedDetector(await openTrainedModel(path, registry, io), path, options);
}

/** A detector running a rebuilt trained student in tfjs (`path`: what the user named, for messages); disposing it disposes the model. */
export function trainedDetector(trained: TrainedModel, path: string, options: DetectorOptions = {}): Detector {
  const model = trained.model;
  const size = options.imageSize ?? trained.data.imageSize;
  const numClasses = model.numClasses;
  if (options.classes !== undefined && options.classes !== numClasses) {
    trained.dispose();
    throw new TrainedModelError(`${path}: the model has ${numClasses} classes, the data ${options.classes}`);
  }
  return {
    name: `${model.name} (${trained.checkpoint})`,
    runtime: `tfjs (${trained.backend})`,
    classNames: trained.data.classNames,
    imageSize: size,
    async detect(images, options) {
      const batch = tf.tidy(() => tf.stack(images.map((image) => tf.tensor3d(image.data, [image.height, image.width, 3]))) as tf.Tensor4D);
      const decoded = tf.tidy(() => model.decode(model.forward(batch, { training: false })));
      const predictions: DetectionPredictions = { data: (await decoded.data()) as Float32Array, dims: [...decoded.shape] };
      tf.dispose([batch, decoded]);
      return nonMaxSuppression(predictions, { objectness: false, numClasses, confThreshold: options.conf, iouThreshold: options.iou, maxDetections: options.maxDetections ?? 300 });
    },
    dispose: async () => trained.dispose(),
  };
}

async function openOnnxDetector(path: string, options: DetectorOptions): Promise<Detector> {
  const imageSize = options.imageSize;
  const file = await readOnnxModel(path);
  const input = file.inputs[0];
  const [, channels, height, width] = (input?.dims ?? []) as (number | string)[];
  if (!input || file.inputs.length !== 1 || channels !== 3) throw new TrainedModelError(`${path}: expected one NCHW image input [B, 3, H, W], found ${JSON.stringify(file.inputs.map((i) => i.dims))}`);
  const staticSize = typeof height === 'number' && height === width ? height : undefined;
  if (typeof height === 'number' && height !== width) throw new TrainedModelError(`${path}: the input is ${height}x${String(width)}; only square inputs are supported`);
  const size = imageSize ?? staticSize;
  if (size === undefined) throw new TrainedModelError(`${path}: the input size is dynamic; give --imgsz`);
  if (staticSize !== undefined && size !== staticSize) throw new TrainedModelError(`${path}: the model takes ${staticSize}x${staticSize} images (static input), not --imgsz ${size}`);
  const classNames = options.classes !== undefined ? Array.from({ length: options.classes }, (_, i) => String(i)) : onnxClassNames(file);
  const session: OnnxSession = await new OrtSessionFactory({ executionProviders: ['cpu'] }).create(resolve(path));
  const staticBatch = typeof input.dims?.[0] === 'number' ? (input.dims[0] as number) : undefined;
  const output = session.outputNames[0] as string;
  return {
    name: basename(path),
    runtime: `onnxruntime (${session.executionProvider})`,
    classNames,
    imageSize: size,
    async detect(images, options) {
      const results: Detection[][] = [];
      const chunk = staticBatch ?? images.length;
      for (let start = 0; start < images.length; start += chunk) {
        const part = images.slice(start, start + chunk);
        if (part.length !== chunk) throw new Error(`${path}: a static batch of ${chunk}, ${part.length} image(s) left`);
        const plane = size * size;
        const nchw = new Float32Array(part.length * 3 * plane);
        part.forEach((image, n) => {
          for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) nchw[(n * 3 + c) * plane + p] = image.data[p * 3 + c] as number;
        });
        const value = (await session.run({ [input.name]: { data: nchw, dims: [part.length, 3, size, size] } }, [output]))[output];
        if (!value || value.dims.length !== 3) throw new Error(`${path}: output '${output}' is not [batch, rows, columns]`);
        const nc = classNames.length;
        const [, a, b] = value.dims as [number, number, number];
        const layout = b === 5 + nc ? 'rows' : a === 4 + nc ? 'channels-first' : undefined;
        if (!layout) throw new TrainedModelError(`${path}: output ${JSON.stringify(value.dims)} fits neither [1, N, 5 + ${nc}] nor [1, 4 + ${nc}, N]: does the model have ${nc} classes (a decoded export)?`);
        results.push(...nonMaxSuppression(value, { objectness: layout === 'rows', layout, numClasses: nc, confThreshold: options.conf, iouThreshold: options.iou, maxDetections: options.maxDetections ?? 300 }));
      }
      return results;
    },
    dispose: () => session.release(),
  };
}
