import * as tf from '@tensorflow/tfjs-core';
import type { DatasetSource, GraphConv, Rng } from '@yolo-distill/core';
import type { YoloModel } from '@yolo-distill/yolo';
import { pruneModel } from './apply/prune-model.js';
import { modelCost } from './cost/model-cost.js';
import { buildChannelGraph, type ChannelGraph } from './graph/channel-graph.js';
import { unitImportance, type ImportanceCriterion } from './select/importance.js';
import { selectForCost, selectUnits, type SelectionOptions } from './select/select-units.js';
import { lossGradients } from './select/taylor-gradients.js';

export interface PruneOptions extends Omit<SelectionOptions, 'ratio'> {
  readonly importance: ImportanceCriterion;
  /** Share to remove: of the prunable channels (`target: channels`) or of the parameters (`target: params`). */
  readonly ratio: number;
  readonly target: 'channels' | 'params';
  /** Scopes (or scope prefixes: `model.9`, `model.2.m`) whose convs keep their output channels; `head` is the detection head's row. */
  readonly ignore: readonly string[];
  /** Cut in this many steps, the importance measured again on the model each step left. */
  readonly steps: number;
  /** Image size of the FLOPs count. */
  readonly imageSize: number;
  readonly taylor: { readonly batches: number; readonly batch: number };
}

export interface PruneStep {
  readonly step: number;
  /** The channel ratio this step cut (of the model it started from). */
  readonly channelRatio: number;
  readonly removedChannels: number;
  readonly params: number;
}

/** Whether `conv` falls under one of the `ignore` entries (`head`: the model's detection head row). */
export function ignoreMatcher(model: YoloModel, ignore: readonly string[]): (conv: GraphConv) => boolean {
  const headRow = `model.${model.spec.layers.length - 1}`;
  const prefixes = ignore.map((entry) => (entry === 'head' ? headRow : entry));
  return (conv) => prefixes.some((p) => conv.scope === p || conv.scope.startsWith(`${p}.`));
}

/** Parameters the model counts that its graph names no op for (the DFL projection): the cost model adds them. */
export function paramsOutsideGraph(model: YoloModel, channels: ChannelGraph): number {
  return model.parameterCount() - modelCost(channels, 32).total.params;
}

/** The channel graph of a model as the pruner sees it. */
export function channelGraphOf(model: YoloModel, ignore: readonly string[]): ChannelGraph {
  return buildChannelGraph(model.graph(), ignoreMatcher(model, ignore));
}

/**
 * Prunes `model` (left untouched) into a new dense model: in `steps` steps, each removing the same
 * share of what the previous one left (so that together they remove `ratio`), the units of least
 * importance go. `data` feeds the Taylor criterion.
 */
export async function pruneChannels(
  model: YoloModel,
  options: PruneOptions,
  context: { rng: Rng; data?: DatasetSource },
): Promise<{ model: YoloModel; steps: PruneStep[]; firstCut: { channels: ChannelGraph; removed: ReadonlySet<number> } }> {
  const steps: PruneStep[] = [];
  let firstCut: { channels: ChannelGraph; removed: ReadonlySet<number> } | undefined;
  const perStep = 1 - (1 - options.ratio) ** (1 / options.steps);
  let current = model;
  try {
    for (let step = 1; step <= options.steps; step++) {
      const channels = channelGraphOf(current, options.ignore);
      const extra = paramsOutsideGraph(current, channels);
      const gradients = options.importance === 'taylor' ? await taylorInputs(current, options, context) : undefined;
      let importance: Float64Array;
      try {
        importance = unitImportance(channels, options.importance, { weights: current.getWeights(), rng: context.rng, ...(gradients ? { gradients } : {}) });
      } finally {
        if (gradients) tf.dispose(Object.values(gradients));
      }
      const selection =
        options.target === 'params'
          ? selectForCost(channels, importance, options, perStep, (removed) => modelCost(channels, options.imageSize, removed, extra).total.params)
          : { removed: selectUnits(channels, importance, { ...options, ratio: perStep }), ratio: perStep };
      firstCut ??= { channels, removed: selection.removed };
      const next = pruneModel(current, channels, selection.removed);
      if (current !== model) current.dispose();
      current = next;
      steps.push({ step, channelRatio: selection.ratio, removedChannels: selection.removed.size, params: current.parameterCount() });
    }
  } catch (error) {
    if (current !== model) current.dispose();
    throw error;
  }
  return { model: current, steps, firstCut: firstCut as NonNullable<typeof firstCut> };
}

async function taylorInputs(model: YoloModel, options: PruneOptions, context: { rng: Rng; data?: DatasetSource }) {
  if (!context.data) throw new Error("prune: importance 'taylor' needs the pipeline's data (a 'data:' entry) for its gradients");
  return lossGradients(model, context.data, { ...options.taylor, rng: context.rng });
}
