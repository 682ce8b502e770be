import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { parseWith, type PluginDescriptor, type Stage, type StageContext } from '@yolo-distill/core';
import type { YoloModel } from '@yolo-distill/yolo';
import { asPrunable, maskedModel } from '../apply/prune-model.js';
import { modelCost } from '../cost/model-cost.js';
import type { ChannelGraph } from '../graph/channel-graph.js';
import { channelGraphOf, paramsOutsideGraph, pruneChannels, type PruneOptions } from '../prune-channels.js';
import { IMPORTANCE_CRITERIA, type ImportanceCriterion } from '../select/importance.js';
import { layerRows, reportTable, type PruneReport } from './prune-report.js';

const schema = z.strictObject({
  importance: z.enum(IMPORTANCE_CRITERIA as [ImportanceCriterion, ...ImportanceCriterion[]]).default('l2').describe('channel importance: l1, l2 (group filter magnitude), bn-gamma (network slimming), taylor (gradient x weight), random'),
  ratio: z.number().gt(0).lt(1).describe('share to remove: of the prunable channels (target: channels) or of the parameters (target: params)'),
  target: z.enum(['channels', 'params']).default('channels').describe('what ratio counts: channels or params'),
  scope: z.enum(['global', 'layer']).default('global').describe('global: one ranking over all groups; layer: each group cut by the same share'),
  maxRatio: z.number().gt(0).max(1).default(0.75).describe('most a group may lose'),
  roundTo: z.int().min(1).default(1).describe('kept channels of every pruned group are a multiple of this (4 for the NPU case, 8/16 for others)'),
  ignore: z.array(z.string().min(1)).default(['head']).describe('layers kept whole: scopes or prefixes (head: the Detect convs)'),
  steps: z.int().min(1).max(100).default(1).describe('prune in K steps, each removing the same share of what is left'),
  imgsz: z.int().positive().optional().describe("image size of the FLOPs count; default: the pipeline's data size (640 without data)"),
  taylor: z.strictObject({ batches: z.int().min(1).default(4), batch: z.int().min(1).default(8) }).prefault({}).describe('batches and batch size of the gradients the taylor importance sums'),
  verify: z.boolean().default(true).describe('compare the pruned model with the original whose removed channels are zeroed, on one random batch'),
});

export type PruneChannelsConfig = z.output<typeof schema>;

/** `prune.Channels`: replaces the pipeline's student by a dense model with fewer channels. */
export class PruneChannelsStage implements Stage {
  readonly name = 'prune.Channels';

  constructor(private readonly config: PruneChannelsConfig) {}

  async run(context: StageContext): Promise<void> {
    const { models, logger, folder, events } = context;
    const model = asPrunable(models.student, this.name);
    const c = this.config;
    const imageSize = c.imgsz ?? models.data?.imageSize ?? 640;
    const options: PruneOptions = { ...c, imageSize };
    const beforeGraph = channelGraphOf(model, c.ignore);
    const before = modelCost(beforeGraph, imageSize, new Set(), paramsOutsideGraph(model, beforeGraph));
    const { model: pruned, steps, firstCut } = await pruneChannels(model, options, { rng: context.rng, ...(models.data ? { data: models.data } : {}) });
    try {
      const afterGraph = channelGraphOf(pruned, c.ignore);
      const after = modelCost(afterGraph, imageSize, new Set(), paramsOutsideGraph(pruned, afterGraph));
      // Several steps re-measure importance on intermediate models, which are gone by now: the check needs one step.
      const maskedMaxError = c.verify && c.steps === 1 ? verifyAgainstMask(model, pruned, firstCut, imageSize, context) : undefined;
      const report: PruneReport = {
        model: model.name,
        settings: { ...c },
        imageSize,
        before: before.total,
        after: after.total,
        removed: { params: 1 - after.total.params / before.total.params, flops: 1 - after.total.flops / before.total.flops },
        steps,
        ...(maskedMaxError === undefined ? {} : { maskedMaxError }),
        layers: layerRows(before.convs, after.convs),
      };
      const table = reportTable(report);
      await folder.writeJson(`prune-${context.index}.json`, report);
      await folder.writeText(`prune-${context.index}.md`, `${table}\n`);
      logger.info(`${this.name}: ${model.name} ${before.total.params} -> ${after.total.params} parameters (-${(100 * report.removed.params).toFixed(1)}%), ${c.importance} importance${maskedMaxError === undefined ? '' : `; pruned vs masked original max |diff| ${maskedMaxError.toExponential(2)}`}\n${table}`);
      for (const [name, value] of [['prune.params.before', before.total.params], ['prune.params.after', after.total.params], ['prune.flops.before', before.total.flops], ['prune.flops.after', after.total.flops]] as const) {
        events.emit({ type: 'metric', stage: context.index, name, value });
      }
    } catch (error) {
      pruned.dispose();
      throw error;
    }
    models.student = pruned;
    model.dispose();
  }
}

/**
 * Max |pruned - masked original| of the raw head maps on one random batch (inference mode); more than
 * 1e-4 of the maps' magnitude means the cut is wrong (a coupling the graph missed), and the stage fails.
 */
function verifyAgainstMask(original: YoloModel, pruned: YoloModel, cut: { channels: ChannelGraph; removed: ReadonlySet<number> }, imageSize: number, context: StageContext): number {
  const stride = Math.max(...original.strides);
  const size = Math.max(stride, Math.round(Math.min(imageSize, 128) / stride) * stride);
  const masked = maskedModel(original, cut.channels, cut.removed);
  try {
    const values = Float32Array.from({ length: size * size * 3 }, () => context.rng.next());
    const [error, scale] = tf.tidy(() => {
      const images = tf.tensor4d(values, [1, size, size, 3]);
      const a = pruned.forward(images, { training: false }).head;
      const b = masked.forward(images, { training: false }).head;
      const worst = (ts: tf.Tensor[]) => Math.max(...ts.map((t) => tf.max(t).dataSync()[0] as number));
      return [worst(a.map((t, i) => tf.abs(tf.sub(t, b[i] as tf.Tensor)))), worst(b.map((t) => tf.abs(t)))];
    }) as [number, number];
    if (!(error <= 1e-4 * Math.max(1, scale))) {
      throw new Error(`prune.Channels: ${original.name}: the pruned model differs from the original with the removed channels zeroed by ${error} (maps up to ${scale}): the channel graph missed a coupling`);
    }
    return error;
  } finally {
    masked.dispose();
  }
}

export const pruneChannelsStage: PluginDescriptor<PruneChannelsConfig, Stage> = {
  type: 'prune.Channels',
  kind: 'stage',
  summary: 'structured channel pruning over the dependency graph of the model (residuals, concats, C2f splits, SPPF, head inputs): a dense smaller model of the same adapter, L1/L2/BN-gamma/Taylor/random importance, global or per-layer, kept channels a multiple of roundTo',
  schema,
  parse: (raw, at) => {
    const config = parseWith(schema, raw, at);
    if (config.importance !== 'taylor' && raw && typeof raw === 'object' && 'taylor' in raw) throw at.child('taylor').error(`'taylor' settings only apply to importance: taylor (importance is ${config.importance})`);
    return config;
  },
  create: (config) => new PruneChannelsStage(config),
};
