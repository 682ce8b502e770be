import * as tf from '@tensorflow/tfjs-core';
import { YoloModel, type ChannelWidths } from '@yolo-distill/yolo';
import type { ChannelGraph } from '../graph/channel-graph.js';
import { convCuts, maskedWeights, prunedWeights, type ConvCut } from './prune-weights.js';

/** A detector the pruner can cut: a model built from a model YAML (every adapter's `<version>.Model`). */
export function asPrunable(model: unknown, what: string): YoloModel {
  if (!(model instanceof YoloModel)) {
    const name = (model as { name?: string } | undefined)?.name ?? String(model);
    throw new Error(`${what}: ${name} is not a model built from a model YAML (yolov5.Model, yolov8.Model, ...): only those can be pruned`);
  }
  return model;
}

/** The channel widths of the pruned model: the model's own, updated for every conv whose shape changes. */
function widthsAfter(model: YoloModel, cuts: ReadonlyMap<string, ConvCut>): ChannelWidths {
  const widths: Record<string, readonly [number, number]> = { ...(model.spec.channelWidths ?? {}) };
  for (const [name, cut] of cuts) {
    if (cut.keepIn.length !== cut.cin || cut.keepOut.length !== cut.cout || name in widths) widths[name] = [cut.keepIn.length, cut.keepOut.length];
  }
  return widths;
}

const opSignature = (model: YoloModel) => model.graph().ops.map((op) => `${op.op}:${op.scope}`).join(',');

/**
 * A new, dense, smaller model of the same adapter without the `removed` units: the same spec with the
 * new channel widths (`ModelSpec.channelWidths`), its weights cut from `model`'s. The graph of the result
 * must have the same ops as the original (a block whose residual depends on equal widths keeps it or not).
 */
export function pruneModel(model: YoloModel, channels: ChannelGraph, removed: ReadonlySet<number>): YoloModel {
  const cuts = convCuts(channels, removed);
  const pruned = model.withSpec({ ...model.spec, channelWidths: widthsAfter(model, cuts) });
  const weights = prunedWeights(channels, model.getWeights(), cuts);
  try {
    pruned.setWeights(weights);
    pruned.weightsSource = model.weightsSource;
    if (opSignature(pruned) !== opSignature(model)) throw new Error(`prune: ${model.name}: the pruned model's graph differs from the original's (a residual depends on equal widths); keep that block's channels (ignore:)`);
  } catch (error) {
    pruned.dispose();
    throw error;
  } finally {
    tf.dispose(Object.values(weights));
  }
  return pruned;
}

/** A copy of `model` whose removed channels output zeros (see `maskedWeights`): what the pruned model must compute. */
export function maskedModel(model: YoloModel, channels: ChannelGraph, removed: ReadonlySet<number>): YoloModel {
  const masked = model.withSpec(model.spec);
  const weights = maskedWeights(channels, model.getWeights(), convCuts(channels, removed));
  try {
    masked.setWeights(weights);
  } finally {
    tf.dispose(Object.values(weights));
  }
  return masked;
}
