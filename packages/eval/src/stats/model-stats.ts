import * as tf from '@tensorflow/tfjs-core';
import { headKind, type YoloModel } from '@yolo-distill/yolo';
import { profileConvolutions, type ConvCall } from './conv-flops.js';

/** One row of the model: its parameters and FLOPs at the stats' input size. */
export interface LayerStats {
  readonly index: number;
  /** State-dict prefix, `model.<index>`. */
  readonly name: string;
  readonly module: string;
  readonly from: readonly number[];
  readonly repeats: number;
  readonly parameters: number;
  readonly convs: number;
  readonly flops: number;
  /** `[height, width, channels]` of the row's output; absent for the detection head. */
  readonly outputShape?: readonly [number, number, number];
}

/** Size and cost of a model at one input size, as Ultralytics' model summary reports them. JSON-able. */
export interface ModelStats {
  readonly model: string;
  readonly imageSize: readonly [number, number];
  /** As `model.parameters()` counts them: weights, BatchNorm affine, the fixed DFL conv; no running statistics. */
  readonly parameters: number;
  /** After folding each BatchNorm into its conv (the count Ultralytics prints for a fused model). */
  readonly fusedParameters: number;
  readonly flops: number;
  readonly gflops: number;
  readonly layers: readonly LayerStats[];
  readonly convention: string;
}

export const FLOPS_CONVENTION =
  'FLOPs = 2 x multiply-accumulates of every convolution (2 * Hout * Wout * Cout * Cin/groups * kh * kw) for one image, ' +
  'BatchNorm folded into the convs, biases, activations, pooling, upsampling, concatenation and additions not counted; ' +
  "the DFL conv of anchor-free heads counted. This is Ultralytics' fused-model number (thop MACs x 2).";

const PREFIX = /^model\.(\d+)\./;

/**
 * Parameters and FLOPs of a YOLO model per layer and in total at `imageSize` (one image; height and width
 * multiples of the largest stride). The convolutions come from one forward pass on zeros at the largest
 * stride (32 x 32 for P5 models), profiled, as Ultralytics' `get_flops` does; with "same" padding every
 * map scales with the input, so the FLOPs are multiplied by (H / 32) x (W / 32), exactly. Each layer gets
 * as many of the profiled convolutions, in order, as it holds conv weights (checked by shape).
 * See `FLOPS_CONVENTION`.
 */
export async function modelStats(model: YoloModel, options: { readonly imageSize: number | readonly [number, number] }): Promise<ModelStats> {
  const [height, width] = typeof options.imageSize === 'number' ? [options.imageSize, options.imageSize] : options.imageSize;
  const { spec } = model;
  const maxStride = Math.max(...spec.layers.map((layer) => layer.stride));
  if (!Number.isInteger(height) || !Number.isInteger(width) || height <= 0 || width <= 0 || height % maxStride !== 0 || width % maxStride !== 0) {
    throw new RangeError(`${model.name}: image size ${height}x${width} must be positive multiples of the largest stride ${maxStride}`);
  }
  const scale = (height / maxStride) * (width / maxStride);
  const profiled = await profileConvolutions(() => {
    const zeros = tf.zeros([1, maxStride, maxStride, spec.inputChannels]) as tf.Tensor4D;
    return model.forward(zeros, { training: false }).head;
  });

  const parameters = model.parameters();
  const layerOf = (name: string): number => {
    const match = PREFIX.exec(name);
    if (!match) throw new Error(`${model.name}: parameter '${name}' is not under model.<row>`);
    return Number(match[1]);
  };
  const params = new Map<number, number>();
  const convWeights = new Map<number, string[]>();
  for (const p of parameters) {
    const row = layerOf(p.name);
    if (p.role !== 'running-stat') params.set(row, (params.get(row) ?? 0) + p.variable.size);
    if (p.layout === 'conv' && p.role === 'trainable' && p.torchShape.length === 4) {
      const [cout, cin, kh, kw] = p.torchShape as [number, number, number, number];
      convWeights.set(row, [...(convWeights.get(row) ?? []), `${kh}x${kw}x${cin}x${cout}`]);
    }
  }
  const expected = [...convWeights.values()].reduce((sum, list) => sum + list.length, 0);
  if (profiled.convs.length !== expected) {
    throw new Error(`${model.name}: the forward pass ran ${profiled.convs.length} convolutions but the model holds ${expected} conv weights; cannot attribute FLOPs to layers`);
  }

  let next = 0;
  const lastRow = spec.layers.length - 1;
  const layers: LayerStats[] = spec.layers.map((layer) => {
    const shapes = convWeights.get(layer.index) ?? [];
    const calls: ConvCall[] = profiled.convs.slice(next, next + shapes.length);
    next += shapes.length;
    const ran = calls.map((c) => c.filter.join('x')).sort();
    if (ran.join(',') !== [...shapes].sort().join(',')) {
      throw new Error(`${model.name}: ${layer.where}: row ${layer.index} (${layer.module.name}) holds conv weights ${shapes.join(', ')} (HWIO) but ran ${ran.join(', ')}; cannot attribute FLOPs to layers`);
    }
    let flops = calls.reduce((sum, c) => sum + c.flops, 0) * scale;
    if (layer.index === lastRow) flops += dflFlops(model, height, width);
    return {
      index: layer.index,
      name: `model.${layer.index}`,
      module: layer.module.name,
      from: [...layer.from],
      repeats: layer.repeats,
      parameters: params.get(layer.index) ?? 0,
      convs: shapes.length,
      flops,
      ...(layer.index === lastRow ? {} : { outputShape: [height / layer.stride, width / layer.stride, layer.outputChannels] as const }),
    };
  });
  const bnChannels = parameters.filter((p) => p.role === 'running-stat' && p.name.endsWith('running_mean')).reduce((sum, p) => sum + p.variable.size, 0);
  const flops = layers.reduce((sum, layer) => sum + layer.flops, 0);
  return {
    model: model.name,
    imageSize: [height, width],
    parameters: model.parameterCount(),
    fusedParameters: model.parameterCount() - bnChannels,
    flops,
    gflops: flops / 1e9,
    layers,
    convention: FLOPS_CONVENTION,
  };
}

/**
 * Decode ops the upstream model runs in its forward pass (thop counts them) and which here run in
 * `decode`: an anchor-free head's DFL, a fixed 1x1 conv from `regMax` bins to 1 over 4 sides x all cells.
 */
function dflFlops(model: YoloModel, height: number, width: number): number {
  const cells = model.head.strides.reduce((sum, s) => sum + (height / s) * (width / s), 0);
  return headKind(model.head.kind).decodeFlops(model.head, cells);
}
