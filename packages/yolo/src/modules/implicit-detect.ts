import * as tf from '@tensorflow/tfjs-core';
import type { AnchorHeadSpec } from '../heads/head-spec.js';
import { Conv2d } from './conv-layers.js';
import { initialiseDetectBiases, orderAnchors, parseDetectArgs, type DetectArgs } from './detect.js';
import { defineModule } from './module-entry.js';
import type { FusedConv } from './rep-conv.js';

/**
 * One level of yolov7's `IDetect`: `im * conv(ia + x)` with ImplicitA `ia` ([1, C_in, 1, 1] ~ N(0, .02)) and
 * ImplicitM `im` ([1, na * no, 1, 1] ~ N(1, .02)). `fuse()` is `IDetect.fuse`: both folded into the conv.
 */
export class ImplicitLevel {
  constructor(
    readonly conv: Conv2d,
    readonly implicitAdd: tf.Variable,
    readonly implicitMul: tf.Variable,
  ) {}

  forward(x: tf.Tensor4D): tf.Tensor4D {
    return tf.mul(this.conv.forward(tf.add(x, this.implicitAdd)), this.implicitMul);
  }

  /** `bias' = (bias + W . ia) * im`, `W' = W * im` per output channel: `conv(x, W') + bias'` equals `forward(x)`. */
  fuse(): FusedConv {
    return tf.tidy(() => {
      const [, , cin, cout] = this.conv.weight.shape as [number, number, number, number];
      const w = tf.reshape(this.conv.weight, [cin, cout]);
      const shifted = tf.add(this.conv.bias, tf.squeeze(tf.matMul(tf.reshape(this.implicitAdd, [1, cin]), w), [0]));
      return { kernel: tf.mul(this.conv.weight, this.implicitMul) as tf.Tensor4D, bias: tf.mul(shifted, this.implicitMul) as tf.Tensor1D };
    });
  }
}

/**
 * WongKinYiu/yolov7's `IDetect` (YOLOR implicit knowledge around the anchor-based head): per level
 * `<prefix>.m.<i>` (1x1 conv with bias, yolov5's bias init), `<prefix>.ia.<i>.implicit`, `<prefix>.im.<i>.implicit`.
 * Its outputs are laid out as `Detect`'s (channel `a * (5 + nc) + k`) and decode the same way. A fused export
 * (IDetect.fuse) holds no ia/im: importing one sets them to 0 and 1 (their `foldedValue`).
 */
export const implicitDetectModule = defineModule<DetectArgs>({
  name: 'IDetect',
  signature: '[nc, anchors]',
  repeat: 'stacked',
  inputs: 'multiple',
  role: 'head',
  parseArgs: (args, context) => parseDetectArgs(args, context),
  outputChannels: (args) => (args.anchors[0]?.length ?? 0) * (5 + args.nc),
  outputStride: (_args, strides) => strides[0] ?? 1,
  build({ prefix, args, inputChannels, inputStrides, params }) {
    const spec: AnchorHeadSpec = { kind: 'anchor-based', numClasses: args.nc, strides: [...inputStrides], anchors: orderAnchors(args.anchors, inputStrides) };
    const na = spec.anchors[0]?.length ?? 0;
    const cout = na * (5 + args.nc);
    // PyTorch registers m, then ia, then im: the state-dict order.
    const convs = inputChannels.map((c, i) => new Conv2d(params, `${prefix}.m.${i}`, c, cout, { kernel: 1 }));
    initialiseDetectBiases(convs, inputStrides, na, args.nc);
    const adds = inputChannels.map((c, i) => params.normal(`${prefix}.ia.${i}.implicit`, c, { mean: 0, std: 0.02 }, [1, c, 1, 1], 0));
    const muls = inputChannels.map((_c, i) => params.normal(`${prefix}.im.${i}.implicit`, cout, { mean: 1, std: 0.02 }, [1, cout, 1, 1], 1));
    const levels = convs.map((conv, i) => new ImplicitLevel(conv, adds[i]!, muls[i]!));
    return { kind: 'head', spec, forward: (inputs) => levels.map((level, i) => level.forward(inputs[i]!)) };
  },
});
