import * as tf from '@tensorflow/tfjs-core';
import { applyActivation, type Activation } from './activation.js';
import { BatchNorm2d } from './batch-norm.js';
import { fusedConvBnActForward, trainsFused, type ConvGeometry } from './fused-conv-bn-act.js';
import type { ParameterStore } from './parameters.js';

type Padding4 = [[number, number], [number, number], [number, number], [number, number]];

/** PyTorch's symmetric zero padding; tfjs 'same' would pad even inputs asymmetrically. */
export function torchPadding(pad: number): 'valid' | Padding4 {
  return pad === 0 ? 'valid' : [[0, 0], [pad, pad], [pad, pad], [0, 0]];
}

/** Ultralytics' `autopad(k, p, d)`: `p` if given, else the padding that keeps the size at stride 1. */
export function autopad(kernel: number, padding: number | undefined, dilation = 1): number {
  if (padding !== undefined) return padding;
  const effective = dilation > 1 ? dilation * (kernel - 1) + 1 : kernel;
  return Math.floor(effective / 2);
}

export interface ConvOptions {
  readonly kernel: number;
  readonly stride?: number;
  readonly padding?: number;
  readonly dilation?: number;
}

/** `nn.Conv2d(bias=True)`: parameters `<prefix>.weight` (stored HWIO) and `<prefix>.bias`. */
export class Conv2d {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  /** Channels in and out (a pruned model's, when its spec gives them). */
  readonly cin: number;
  readonly cout: number;
  private readonly stride: number;
  private readonly pad: 'valid' | Padding4;
  private readonly dilation: number;

  constructor(private readonly params: ParameterStore, readonly prefix: string, cin: number, cout: number, options: ConvOptions) {
    const k = options.kernel;
    [this.cin, this.cout] = params.convWidths(`${prefix}.weight`, cin, cout);
    ({ cin, cout } = this);
    this.weight = params.convKernel(`${prefix}.weight`, [k, k], cin, cout);
    this.bias = params.convBias(`${prefix}.bias`, cout, cin * k * k);
    this.stride = options.stride ?? 1;
    this.dilation = options.dilation ?? 1;
    this.pad = torchPadding(autopad(k, options.padding, this.dilation));
  }

  forward(x: tf.Tensor4D): tf.Tensor4D {
    const hook = this.params.activeConvHook;
    const name = `${this.prefix}.weight`;
    const [input, kernel] = hook ? [hook.input(name, x), hook.weights(name, this.weight as tf.Tensor4D)] : [x, this.weight as tf.Tensor4D];
    return tf.add(tf.conv2d(input, kernel, this.stride, this.pad, 'NHWC', this.dilation), this.bias);
  }
}

/**
 * Ultralytics' `Conv`: `<prefix>.conv` (no bias) + `<prefix>.bn` (BatchNorm2d, eps 1e-3, momentum 0.03)
 * + activation. Training runs the three as one fused op (see `trainsFused`); evaluation as separate ops.
 */
export class ConvBnAct {
  readonly weight: tf.Variable;
  readonly bn: BatchNorm2d;
  readonly activation: Activation;
  /** Channels in and out (a pruned model's, when its spec gives them). */
  readonly cin: number;
  readonly cout: number;
  private readonly geometry: ConvGeometry;

  constructor(
    private readonly params: ParameterStore,
    readonly prefix: string,
    cin: number,
    cout: number,
    options: ConvOptions & { readonly activation: Activation },
  ) {
    const k = options.kernel;
    [this.cin, this.cout] = params.convWidths(`${prefix}.conv.weight`, cin, cout);
    ({ cin, cout } = this);
    this.weight = params.convKernel(`${prefix}.conv.weight`, [k, k], cin, cout);
    this.bn = new BatchNorm2d(params, `${prefix}.bn`, cout);
    const dilation = options.dilation ?? 1;
    this.geometry = { stride: options.stride ?? 1, pad: torchPadding(autopad(k, options.padding, dilation)), dilation };
    this.activation = options.activation;
  }

  forward(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    const hook = this.params.activeConvHook;
    if (training && !hook && trainsFused(this.geometry)) return fusedConvBnActForward(x, this.weight, this.bn, this.geometry, this.activation);
    const { stride, pad, dilation } = this.geometry;
    const name = `${this.prefix}.conv.weight`;
    const [input, kernel] = hook ? [hook.input(name, x), hook.weights(name, this.weight as tf.Tensor4D)] : [x, this.weight as tf.Tensor4D];
    const y = tf.conv2d(input, kernel, stride, pad, 'NHWC', dilation);
    return applyActivation(this.bn.forward(y, training), this.activation);
  }
}
