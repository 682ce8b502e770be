import type { NamedTensors } from './tensors.js';

/**
 * A detector's inference graph as its own layers describe it (no tracing): what an exporter writes
 * in another format. Maps have a batch, a channel and two spatial axes; which axis is which is the
 * writer's choice (ONNX NCHW, tfjs NHWC). Every op names its input and output tensors; `scope`
 * names the op after the module it belongs to (`model.2.m.0.cv1`), as upstream exports name nodes.
 */
export interface ModelGraph {
  /** The image tensor (batch, `inputChannels` channels, height, width), values in 0..1. */
  readonly input: string;
  readonly inputChannels: number;
  /** In topological order: each op reads the input or outputs of earlier ops. */
  readonly ops: readonly GraphOp[];
  /** The raw head maps, one per level (finest first), channels as the model's head description lays them out. */
  readonly head: readonly string[];
  /** Tap name (`neck.0`, `backbone.4`, ...) -> tensor of the graph. */
  readonly taps: Readonly<Record<string, string>>;
  /**
   * Every tensor the ops name as a parameter, by name (the model's own weight names). Conv kernels are
   * `[kh, kw, cin / groups, cout]` (tfjs's layout); other parameters are vectors over channels.
   */
  readonly weights: NamedTensors;
}

export type GraphActivation =
  | { readonly kind: 'silu' }
  | { readonly kind: 'relu' }
  | { readonly kind: 'identity' }
  | { readonly kind: 'leaky-relu'; readonly alpha: number };

/** Inference BatchNorm over channels: `(x - mean) / sqrt(variance + eps) * gamma + beta` (weight names). */
export interface GraphBatchNorm {
  readonly gamma: string;
  readonly beta: string;
  readonly mean: string;
  readonly variance: string;
  readonly eps: number;
}

/** A convolution (symmetric zero padding, as PyTorch's), then the optional BatchNorm, then the activation. */
export interface GraphConv {
  readonly op: 'conv';
  readonly scope: string;
  readonly input: string;
  readonly output: string;
  readonly weight: string;
  readonly bias?: string;
  readonly batchNorm?: GraphBatchNorm;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  readonly groups: number;
  readonly activation: GraphActivation;
}

/** Element-wise sum of two maps of the same shape (a residual). */
export interface GraphAdd {
  readonly op: 'add';
  readonly scope: string;
  readonly inputs: readonly [string, string];
  readonly output: string;
}

/** Maps joined along channels. */
export interface GraphConcat {
  readonly op: 'concat';
  readonly scope: string;
  readonly inputs: readonly string[];
  readonly output: string;
}

/** A map cut along channels into consecutive parts of `channels[i]` channels. */
export interface GraphSplit {
  readonly op: 'split';
  readonly scope: string;
  readonly input: string;
  readonly outputs: readonly string[];
  readonly channels: readonly number[];
}

/** Max pooling with symmetric padding (padded cells never win, as PyTorch's -inf padding). */
export interface GraphMaxPool {
  readonly op: 'maxPool';
  readonly scope: string;
  readonly input: string;
  readonly output: string;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
}

/** Nearest-neighbour upsampling by an integer factor (PyTorch's `nn.Upsample(scale_factor=s, mode='nearest')`). */
export interface GraphUpsample {
  readonly op: 'upsample';
  readonly scope: string;
  readonly input: string;
  readonly output: string;
  readonly scale: number;
}

export type GraphOp = GraphConv | GraphAdd | GraphConcat | GraphSplit | GraphMaxPool | GraphUpsample;
