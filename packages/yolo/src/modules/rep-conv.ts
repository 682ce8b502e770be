import * as tf from '@tensorflow/tfjs-core';
import { applyActivation, type Activation } from './activation.js';
import { BatchNorm2d } from './batch-norm.js';
import { autopad, torchPadding } from './conv-layers.js';
import { readActivationArg, resolveActivation } from './conv.js';
import { defineModule, scaleChannels } from './module-entry.js';
import type { ParameterStore } from './parameters.js';

/** A conv kernel (HWIO) and bias: what a deployed RepConv (`rbr_reparam`) holds. */
export interface FusedConv {
  readonly kernel: tf.Tensor4D;
  readonly bias: tf.Tensor1D;
}

/** BN folded into the conv before it: `W * gamma / std` per output channel, `beta - mean * gamma / std`. */
function foldBatchNorm(kernel: tf.Tensor4D, bn: BatchNorm2d): FusedConv {
  return tf.tidy(() => {
    const scale = tf.div(bn.gamma, tf.sqrt(tf.add(bn.runningVar, bn.eps)));
    return { kernel: tf.mul(kernel, scale) as tf.Tensor4D, bias: tf.sub(bn.beta, tf.mul(bn.runningMean, scale)) as tf.Tensor1D };
  });
}

/**
 * WongKinYiu/yolov7's `RepConv(c1, c2, k=3, s=1, p=None, g=1, act=True, deploy=False)` in its training form:
 * `act(rbr_dense(x) + rbr_1x1(x) + rbr_identity(x))` with `rbr_dense` = conv k x k + BN, `rbr_1x1` = conv 1x1 + BN
 * (padding `p - k // 2`), `rbr_identity` = BN when `c1 == c2` and `s == 1`. State dict `<prefix>.rbr_dense.0.weight`,
 * `<prefix>.rbr_dense.1.*`, `<prefix>.rbr_1x1.0.weight`, `<prefix>.rbr_1x1.1.*`, `<prefix>.rbr_identity.*`.
 * `fuse()` is its deploy-time re-parameterisation (`get_equivalent_kernel_bias`): one k x k conv with bias.
 */
export class RepConvBlock {
  readonly dense: tf.Variable;
  readonly denseBn: BatchNorm2d;
  readonly pointwise: tf.Variable;
  readonly pointwiseBn: BatchNorm2d;
  readonly identity: BatchNorm2d | undefined;
  private readonly pad: number;

  constructor(
    params: ParameterStore,
    prefix: string,
    readonly c1: number,
    readonly c2: number,
    readonly options: { readonly kernel: number; readonly stride: number; readonly padding: number | undefined; readonly activation: Activation },
  ) {
    const k = options.kernel;
    this.pad = autopad(k, options.padding);
    this.identity = c1 === c2 && options.stride === 1 ? new BatchNorm2d(params, `${prefix}.rbr_identity`, c1) : undefined;
    this.dense = params.convKernel(`${prefix}.rbr_dense.0.weight`, [k, k], c1, c2);
    this.denseBn = new BatchNorm2d(params, `${prefix}.rbr_dense.1`, c2);
    this.pointwise = params.convKernel(`${prefix}.rbr_1x1.0.weight`, [1, 1], c1, c2);
    this.pointwiseBn = new BatchNorm2d(params, `${prefix}.rbr_1x1.1`, c2);
  }

  forward(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    const { stride } = this.options;
    const dense = this.denseBn.forward(tf.conv2d(x, this.dense as tf.Tensor4D, stride, torchPadding(this.pad)), training);
    const pointwise = this.pointwiseBn.forward(tf.conv2d(x, this.pointwise as tf.Tensor4D, stride, torchPadding(this.pad - Math.floor(this.options.kernel / 2))), training);
    const sum = this.identity ? tf.addN([dense, pointwise, this.identity.forward(x, training)]) : tf.add(dense, pointwise);
    return applyActivation(sum as tf.Tensor4D, this.options.activation);
  }

  /**
   * The deployed conv (eval mode, running statistics): the dense branch's kernel, the 1x1 kernel padded to
   * k x k at the centre, and the identity as a k x k kernel with 1 at the centre of channel i -> i, each
   * with its BN folded in, summed. `act(conv(x, kernel) + bias)` equals `forward(x, false)`.
   */
  fuse(): FusedConv {
    const k = this.options.kernel;
    const centre = Math.floor(k / 2);
    return tf.tidy(() => {
      const dense = foldBatchNorm(this.dense as tf.Tensor4D, this.denseBn);
      const padded = tf.pad(this.pointwise as tf.Tensor4D, [[centre, k - 1 - centre], [centre, k - 1 - centre], [0, 0], [0, 0]]);
      const pointwise = foldBatchNorm(padded, this.pointwiseBn);
      const parts = [dense, pointwise];
      if (this.identity) {
        const eye = new Float32Array(k * k * this.c1 * this.c2);
        for (let i = 0; i < this.c1; i++) eye[(centre * k + centre) * this.c1 * this.c2 + i * this.c2 + i] = 1;
        parts.push(foldBatchNorm(tf.tensor4d(eye, [k, k, this.c1, this.c2]), this.identity));
      }
      return { kernel: tf.addN(parts.map((p) => p.kernel)) as tf.Tensor4D, bias: tf.addN(parts.map((p) => p.bias)) as tf.Tensor1D };
    });
  }

  /** The deployed form's output: `act(conv(x, fused.kernel) + fused.bias)`. */
  forwardFused(x: tf.Tensor4D, fused: FusedConv): tf.Tensor4D {
    return tf.tidy(() => applyActivation(tf.add(tf.conv2d(x, fused.kernel, this.options.stride, torchPadding(this.pad)), fused.bias), this.options.activation));
  }
}

export interface RepConvArgs {
  readonly c2: number;
  readonly k: number;
  readonly s: number;
  readonly p: number | undefined;
  readonly act: boolean | Activation;
}

/** `RepConv` as a model-YAML row: `[c2, k=3, s=1, p=None, g=1, act=True, deploy=False]` (yolov7.yaml rows 102-104). */
export const repConvModule = defineModule<RepConvArgs>({
  name: 'RepConv',
  signature: '[c2, k=3, s=1, p=None, g=1, act=True, deploy=False]',
  repeat: 'stacked',
  inputs: 'single',
  role: 'layer',
  parseArgs(args) {
    args.atLeast(1);
    args.atMost(7);
    args.ungrouped(4);
    if (args.bool(6, 'deploy', false)) throw args.error(6, 'argument 6 (deploy) must be False: the model trains the three branches; RepConvBlock.fuse() gives the deployed conv');
    const k = args.int(1, 'k', { default: 3 });
    if (k % 2 !== 1) throw args.error(1, `argument 1 (k) must be odd (the 1x1 branch sits at the kernel's centre), found ${k}`);
    return { c2: args.int(0, 'c2'), k, s: args.int(2, 's', { default: 1 }), p: args.optionalInt(3, 'p'), act: readActivationArg(args, 5) };
  },
  outputChannels: (args, _inputs, scaling) => scaleChannels(args.c2, scaling),
  outputStride: (args, [stride = 1]) => stride * args.s,
  build({ prefix, args, inputChannels: [c1 = 0], outputChannels, params, activation }) {
    const block = new RepConvBlock(params, prefix, c1, outputChannels, { kernel: args.k, stride: args.s, padding: args.p, activation: resolveActivation(args.act, activation) });
    return { kind: 'layer', forward: ([x], mode) => block.forward(x!, mode.training) };
  },
});
