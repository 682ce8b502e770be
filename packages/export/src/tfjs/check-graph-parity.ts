import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { DetectionModel, OnnxFloatTensor } from '@yolo-distill/core';
import { verdict, type ParityReport } from '../parity/check-parity.js';
import { compareTensors, PARITY_TOLERANCE } from '../parity/compare-outputs.js';
import { referenceOutputs } from '../parity/reference-outputs.js';
import type { BuiltTfjsGraph } from './build-tfjs-graph.js';

/**
 * Runs a loaded TF.js graph model on NHWC images (in chunks of its static batch, or all at once for a
 * free batch) and compares every output with what the tfjs model computes in the export layout:
 * passes when `max |graph - tfjs| <= tolerance x max |tfjs|` for each.
 */
export function checkGraphParity(
  graphModel: GraphModel,
  source: string,
  model: DetectionModel,
  built: BuiltTfjsGraph,
  images: { readonly images: tf.Tensor4D; readonly sources: readonly string[] },
  tolerance = PARITY_TOLERANCE,
): ParityReport {
  const staticBatch = built.input.dims[0] as number;
  const count = images.images.shape[0];
  const chunk = staticBatch > 0 ? staticBatch : count;
  if (count % chunk !== 0) throw new Error(`${source}: ${count} parity images do not fill batches of ${chunk}`);
  const names = built.outputs.map((o) => o.name);
  const parts = new Map<string, tf.Tensor[]>(names.map((name) => [name, []]));
  let actual: Record<string, OnnxFloatTensor>;
  try {
    for (let start = 0; start < count; start += chunk) {
      const slice = tf.slice(images.images, [start, 0, 0, 0], [chunk, -1, -1, -1]);
      try {
        const result = graphModel.execute({ [built.input.name]: slice }, names);
        const list = Array.isArray(result) ? result : [result];
        list.forEach((tensor, k) => parts.get(names[k] as string)?.push(tensor));
      } finally {
        slice.dispose();
      }
    }
    actual = Object.fromEntries(
      names.map((name) => {
        const joined = tf.tidy(() => tf.concat(parts.get(name) as tf.Tensor[], 0));
        const value = { data: joined.dataSync() as Float32Array, dims: [...joined.shape] };
        joined.dispose();
        return [name, value];
      }),
    );
  } finally {
    tf.dispose([...parts.values()].flat());
  }
  const reference = referenceOutputs(model, images.images, built.outputs, built.layout);
  const outputs = built.outputs.map((spec) => compareTensors(spec.name, actual[spec.name] as OnnxFloatTensor, reference[spec.name] as OnnxFloatTensor, tolerance, 'the graph model'));
  return {
    file: source,
    runtime: `tfjs graph model (${tf.getBackend()})`,
    tolerance,
    images: [...images.sources],
    batch: chunk,
    ...verdict(outputs),
    measured: 'graph',
  };
}
