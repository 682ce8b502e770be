import type { ChannelGraph } from '../graph/channel-graph.js';

/** Parameters (as `parameterCount()` counts them: no BatchNorm running statistics) and conv FLOPs of a model. */
export interface ModelCost {
  readonly params: number;
  /** `2 x MACs` of every conv at `imageSize` (thop's convention x 2, as eval's model stats). */
  readonly flops: number;
}

/** One conv's channels and cost, before or after a cut. */
export interface ConvCost {
  readonly scope: string;
  readonly weight: string;
  readonly cin: number;
  readonly cout: number;
  readonly params: number;
  readonly flops: number;
}

/**
 * The cost of the model after removing the units in `removed` (none: the model as it is), read from
 * its channel graph: kernel `kh x kw x cin x cout`, bias and BatchNorm's affine per kept output channel,
 * every other weight of the graph as it is, plus `extraParams` (parameters outside the graph: the DFL projection); FLOPs from each conv's output size at `imageSize`.
 */
export function modelCost(channels: ChannelGraph, imageSize: number, removed: ReadonlySet<number> = new Set(), extraParams = 0): { total: ModelCost; convs: ConvCost[] } {
  const { graph } = channels;
  const strides = new Map<string, number>([[graph.input, 1]]);
  const counted = new Set<string>();
  const convs: ConvCost[] = [];
  const kept = (units: readonly number[]) => units.reduce((n, unit) => (unit >= 0 && removed.has(unit) ? n : n + 1), 0);
  for (const op of graph.ops) {
    switch (op.op) {
      case 'conv': {
        const stride = (strides.get(op.input) ?? 1) * op.stride;
        strides.set(op.output, stride);
        const kernel = graph.weights[op.weight]?.shape as number[];
        const cin = kept(channels.inputUnits.get(op.weight) ?? []);
        const cout = kept(channels.outputUnits.get(op.weight) ?? []);
        const perOut = (op.bias ? 1 : 0) + (op.batchNorm ? 2 : 0);
        const cells = Math.ceil(imageSize / stride) ** 2;
        const k = (kernel[0] as number) * (kernel[1] as number);
        convs.push({ scope: op.scope, weight: op.weight, cin, cout, params: k * cin * cout + perOut * cout, flops: 2 * cells * k * cin * cout });
        for (const name of [op.weight, op.bias, op.batchNorm?.gamma, op.batchNorm?.beta, op.batchNorm?.mean, op.batchNorm?.variance]) if (name) counted.add(name);
        break;
      }
      case 'maxPool':
        strides.set(op.output, (strides.get(op.input) ?? 1) * op.stride);
        break;
      case 'upsample':
        strides.set(op.output, (strides.get(op.input) ?? 1) / op.scale);
        break;
      case 'add':
      case 'concat':
        strides.set(op.output, strides.get(op.inputs[0] as string) ?? 1);
        break;
      case 'split':
        for (const name of op.outputs) strides.set(name, strides.get(op.input) ?? 1);
        break;
    }
  }
  const others = Object.entries(graph.weights).reduce((sum, [name, tensor]) => (counted.has(name) ? sum : sum + tensor.size), 0);
  return {
    total: { params: convs.reduce((sum, c) => sum + c.params, others + extraParams), flops: convs.reduce((sum, c) => sum + c.flops, 0) },
    convs,
  };
}
