import * as tf from '@tensorflow/tfjs-core';
import type { DetectionModel, OnnxFloatTensor, OnnxSession } from '@yolo-distill/core';
import type { BuiltOnnxModel } from '../onnx/build-onnx-model.js';
import type { NmsSettings } from '../onnx/nms-head.js';
import { compareDetections, compareTensors, PARITY_TOLERANCE, type OutputParity } from './compare-outputs.js';
import { detectionRows, referenceOutputs } from './reference-outputs.js';

/** The outcome of running an export in onnxruntime beside the tfjs model, saved as `<file>.parity.json`. */
export interface ParityReport {
  readonly file: string;
  readonly runtime: string;
  /** The rule: every output's max |ort - tfjs| <= tolerance x max |tfjs|. */
  readonly tolerance: number;
  readonly images: readonly string[];
  readonly batch: number;
  readonly outputs: readonly OutputParity[];
  /** The output with the largest relative error. */
  readonly worst: OutputParity;
  readonly passed: boolean;
  /** What ran the export, in the figures' label (`max|ort-tfjs|`): `ort` (default) or `graph` (a TF.js graph model). */
  readonly measured?: 'ort' | 'graph';
  /** What was checked instead of the outputs, when they cannot be computed here (a TensorRT plugin's). */
  readonly note?: string;
}

/** `max|ort-tfjs|` or `max|graph-tfjs|`: the difference the report measures. */
export function differenceLabel(report: Pick<ParityReport, 'measured'>): string {
  return `max|${report.measured ?? 'ort'}-tfjs|`;
}

/** NCHW from NHWC images. */
function nchw(images: tf.Tensor4D): OnnxFloatTensor {
  return tf.tidy(() => {
    const t = tf.transpose(images, [0, 3, 1, 2]);
    return { data: t.dataSync() as Float32Array, dims: [...t.shape] };
  });
}

/** Joins per-chunk outputs along the first axis (NMS rows: batch indices shifted by the chunk's first image). */
function joinChunks(chunks: readonly OnnxFloatTensor[], detections: boolean, perChunk: number): OnnxFloatTensor {
  if (chunks.length === 1) return chunks[0] as OnnxFloatTensor;
  const total = chunks.reduce((sum, c) => sum + c.data.length, 0);
  const data = new Float32Array(total);
  let offset = 0;
  chunks.forEach((chunk, i) => {
    const values = Float32Array.from(chunk.data);
    if (detections) for (let r = 0; r < values.length; r += 7) values[r] = (values[r] as number) + i * perChunk;
    data.set(values, offset);
    offset += values.length;
  });
  const first = chunks[0] as OnnxFloatTensor;
  return { data, dims: [chunks.reduce((sum, c) => sum + (c.dims[0] as number), 0), ...first.dims.slice(1)] };
}

/**
 * Runs `session` (the written file) on the images, in chunks of the static batch (all at once for a
 * dynamic batch), and compares every output with what the tfjs model computes. With NMS, the session
 * must also return the decoded tensor before it: that is compared with the tfjs decode, and the NMS
 * rows with the project's NMS (Ultralytics' algorithm) over that same decoded tensor, so that a score
 * within float rounding of the threshold cannot make the two keep different boxes.
 */
export async function checkParity(
  session: OnnxSession,
  model: DetectionModel,
  built: BuiltOnnxModel,
  images: { readonly images: tf.Tensor4D; readonly sources: readonly string[] },
  nms?: NmsSettings,
  tolerance = PARITY_TOLERANCE,
): Promise<ParityReport> {
  const staticBatch = built.input.dims[0];
  const count = images.images.shape[0];
  const chunk = typeof staticBatch === 'number' ? staticBatch : count;
  if (count % chunk !== 0) throw new Error(`${session.source}: ${count} parity images do not fill batches of ${chunk}`);
  // With a TensorRT plugin the session runs the graph up to the plugin's inputs; those are what is checked.
  const checked = built.pluginInputs ?? built.outputs;
  const names = [...checked.map((o) => o.name), ...(built.decodedTensor ? [built.decodedTensor] : [])];
  const perName = new Map<string, OnnxFloatTensor[]>(names.map((name) => [name, []]));
  for (let start = 0; start < count; start += chunk) {
    const slice = tf.slice(images.images, [start, 0, 0, 0], [chunk, -1, -1, -1]);
    const feeds = { [built.input.name]: nchw(slice) };
    slice.dispose();
    const results = await session.run(feeds, names);
    for (const name of names) {
      const value = results[name];
      if (!value) throw new Error(`${session.source}: onnxruntime returned no '${name}'`);
      perName.get(name)?.push({ data: Float32Array.from(value.data), dims: [...value.dims] });
    }
  }
  const specs = [...checked, ...(built.decodedTensor ? [{ name: built.decodedTensor, kind: 'decoded' as const, dims: [] }] : [])];
  const reference = referenceOutputs(model, images.images, specs, built.layout);
  const actual = new Map(specs.map((spec) => [spec.name, joinChunks(perName.get(spec.name) ?? [], spec.kind === 'detections', chunk)]));
  const outputs = specs.map((spec) => {
    const value = actual.get(spec.name) as OnnxFloatTensor;
    if (spec.kind !== 'detections') return compareTensors(spec.name, value, reference[spec.name] as OnnxFloatTensor, tolerance);
    if (!nms || !built.decodedTensor) throw new Error(`${session.source}: an NMS output needs its settings and the decoded tensor before it`);
    return compareDetections(spec.name, value, detectionRows(actual.get(built.decodedTensor) as OnnxFloatTensor, built.layout, nms), tolerance);
  });
  return {
    file: session.source,
    runtime: `onnxruntime-node (${session.executionProvider})`,
    tolerance,
    images: [...images.sources],
    batch: chunk,
    ...verdict(outputs),
    ...(built.pluginInputs ? { note: `${built.outputs.map((o) => o.name).join(', ')} come from a TensorRT plugin that onnxruntime cannot run: checked the graph up to its inputs (${built.pluginInputs.map((o) => o.name).join(', ')})` } : {}),
  };
}

/** The outputs, the worst of them (a NaN error counts as worst) and whether every one passed. */
export function verdict(outputs: readonly OutputParity[]): Pick<ParityReport, 'outputs' | 'worst' | 'passed'> {
  const worst = outputs.reduce((a, b) => (b.relativeError > a.relativeError || Number.isNaN(b.relativeError) ? b : a));
  return { outputs, worst, passed: outputs.every((o) => o.passed) };
}

/** One line per output: `output0 [4, 1575, 21]: max|ort-tfjs| (or max|graph-tfjs|) 1.2e-5, max|tfjs| 158, ratio 7.6e-8 ok`. */
export function formatParity(report: ParityReport): string {
  const lines = report.outputs.map((o) => {
    const figures = o.note ?? `${differenceLabel(report)} ${o.maxAbsError.toExponential(2)}, max|tfjs| ${o.maxAbsReference.toPrecision(4)}, ratio ${o.relativeError.toExponential(2)}`;
    return `  ${o.name} [${o.dims.join(', ')}]: ${figures} ${o.passed ? 'ok' : `FAILED (limit ${report.tolerance.toExponential(0)})`}`;
  });
  return `parity on ${report.images.length} image(s), ${report.runtime}, batch ${report.batch}:\n${lines.join('\n')}\n${report.note ? `  (${report.note})\n` : ''}`;
}
