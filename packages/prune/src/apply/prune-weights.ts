import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensors } from '@yolo-distill/core';
import type { ChannelGraph } from '../graph/channel-graph.js';

/** Per conv kernel: the kept input positions and output channels. */
export interface ConvCut {
  readonly keepIn: readonly number[];
  readonly keepOut: readonly number[];
  readonly cin: number;
  readonly cout: number;
}

/** Which input positions and output channels of each conv stay when `removed` units go. */
export function convCuts(channels: ChannelGraph, removed: ReadonlySet<number>): Map<string, ConvCut> {
  const keep = (units: readonly number[]) => units.flatMap((unit, i) => (unit >= 0 && removed.has(unit) ? [] : [i]));
  return new Map(
    channels.convs.map((conv) => {
      const inputs = channels.inputUnits.get(conv.weight) ?? [];
      const outputs = channels.outputUnits.get(conv.weight) ?? [];
      return [conv.weight, { keepIn: keep(inputs), keepOut: keep(outputs), cin: inputs.length, cout: outputs.length }];
    }),
  );
}

/**
 * The weights of the pruned model: every conv kernel cut to its kept inputs and outputs, its bias and
 * BatchNorm (gamma, beta, running mean and variance) to its kept outputs; every other weight copied.
 * New tensors (the caller disposes them).
 */
export function prunedWeights(channels: ChannelGraph, weights: NamedTensors, cuts: ReadonlyMap<string, ConvCut>): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  tf.tidy(() => {
    for (const conv of channels.convs) {
      const cut = cuts.get(conv.weight) as ConvCut;
      const kernel = weights[conv.weight] as tf.Tensor4D;
      const keepIn = tf.tensor1d([...cut.keepIn], 'int32');
      const keepOut = tf.tensor1d([...cut.keepOut], 'int32');
      out[conv.weight] = tf.keep(tf.gather(tf.gather(kernel, keepIn, 2), keepOut, 3));
      const vectors = [conv.bias, conv.batchNorm?.gamma, conv.batchNorm?.beta, conv.batchNorm?.mean, conv.batchNorm?.variance];
      for (const name of vectors) if (name) out[name] = tf.keep(tf.gather(weights[name] as tf.Tensor1D, keepOut));
    }
    for (const [name, tensor] of Object.entries(weights)) if (!(name in out)) out[name] = tf.keep(tensor.clone());
  });
  return out;
}

/**
 * The original model's weights with the removed channels switched off: each removed output channel's
 * filter, BatchNorm gamma and beta zeroed, so that it outputs exactly 0 (SiLU, ReLU, LeakyReLU and the
 * identity map 0 to 0) and every consumer reads zeros there. Such a model computes what the pruned one
 * does; the tests compare the two. New tensors.
 */
export function maskedWeights(channels: ChannelGraph, weights: NamedTensors, cuts: ReadonlyMap<string, ConvCut>): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  tf.tidy(() => {
    for (const conv of channels.convs) {
      const cut = cuts.get(conv.weight) as ConvCut;
      if (cut.keepOut.length === cut.cout) continue;
      const mask = new Float32Array(cut.cout);
      for (const o of cut.keepOut) mask[o] = 1;
      const m = tf.tensor1d(mask);
      out[conv.weight] = tf.keep(tf.mul(weights[conv.weight] as tf.Tensor, m));
      const zeroed = [conv.bias, conv.batchNorm?.gamma, conv.batchNorm?.beta];
      for (const name of zeroed) if (name) out[name] = tf.keep(tf.mul(weights[name] as tf.Tensor, m));
    }
    for (const [name, tensor] of Object.entries(weights)) if (!(name in out)) out[name] = tf.keep(tensor.clone());
  });
  return out;
}
