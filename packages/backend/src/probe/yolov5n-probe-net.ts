import * as tf from '@tensorflow/tfjs-core';
import { convBnActTraining } from '../ops/conv-bn-act-training.js';
import { fusedConvBnActEnabled } from '../ops/fused-training-switch.js';

/**
 * A YOLOv5n-shaped network of Conv-BN-SiLU blocks (backbone, PAN neck, detect convs), written as
 * data so that the benchmark can build the same network in PyTorch. Not the product's model (that
 * is the yolo package's job): a fixed workload to time kernels and training steps on.
 */
export type ProbeLayer =
  | { op: 'conv'; from: number; out: number; k: number; s: number; p?: number; bnAct?: boolean }
  | { op: 'c3'; from: number; out: number; n: number; shortcut: boolean }
  | { op: 'sppf'; from: number; out: number }
  | { op: 'up'; from: number }
  | { op: 'cat'; from: readonly number[] };

export const YOLOV5N_PROBE: readonly ProbeLayer[] = [
  { op: 'conv', from: -1, out: 16, k: 6, s: 2, p: 2 }, // 0
  { op: 'conv', from: -1, out: 32, k: 3, s: 2 }, // 1
  { op: 'c3', from: -1, out: 32, n: 1, shortcut: true }, // 2
  { op: 'conv', from: -1, out: 64, k: 3, s: 2 }, // 3
  { op: 'c3', from: -1, out: 64, n: 2, shortcut: true }, // 4  P3
  { op: 'conv', from: -1, out: 128, k: 3, s: 2 }, // 5
  { op: 'c3', from: -1, out: 128, n: 3, shortcut: true }, // 6  P4
  { op: 'conv', from: -1, out: 256, k: 3, s: 2 }, // 7
  { op: 'c3', from: -1, out: 256, n: 1, shortcut: true }, // 8
  { op: 'sppf', from: -1, out: 256 }, // 9
  { op: 'conv', from: -1, out: 128, k: 1, s: 1 }, // 10
  { op: 'up', from: -1 }, // 11
  { op: 'cat', from: [-1, 6] }, // 12
  { op: 'c3', from: -1, out: 128, n: 1, shortcut: false }, // 13
  { op: 'conv', from: -1, out: 64, k: 1, s: 1 }, // 14
  { op: 'up', from: -1 }, // 15
  { op: 'cat', from: [-1, 4] }, // 16
  { op: 'c3', from: -1, out: 64, n: 1, shortcut: false }, // 17 out P3
  { op: 'conv', from: -1, out: 64, k: 3, s: 2 }, // 18
  { op: 'cat', from: [-1, 14] }, // 19
  { op: 'c3', from: -1, out: 128, n: 1, shortcut: false }, // 20 out P4
  { op: 'conv', from: -1, out: 128, k: 3, s: 2 }, // 21
  { op: 'cat', from: [-1, 10] }, // 22
  { op: 'c3', from: -1, out: 256, n: 1, shortcut: false }, // 23 out P5
  { op: 'conv', from: 17, out: 255, k: 1, s: 1, bnAct: false }, // 24 detect P3
  { op: 'conv', from: 20, out: 255, k: 1, s: 1, bnAct: false }, // 25 detect P4
  { op: 'conv', from: 23, out: 255, k: 1, s: 1, bnAct: false }, // 26 detect P5
];
export const YOLOV5N_PROBE_OUTPUTS = [24, 25, 26] as const;

interface ConvWeights {
  readonly kernel: tf.Variable;
  readonly gamma?: tf.Variable;
  readonly beta?: tf.Variable;
  readonly bias?: tf.Variable;
  readonly stride: number;
  readonly pad: number;
}

/** A conv layer as the probe uses it: its shape, for kernel timing. */
export interface ConvShape {
  readonly input: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly stride: number;
  readonly pad: number;
}

export interface ProbeNetOptions {
  /** Conv-BN-SiLU blocks as the fused op (default: as `fusedConvBnActEnabled()` says) or as separate taped ops. */
  readonly fused?: boolean;
}

/** Builds the probe's variables (He-scaled, seeded) and a forward function. */
export class ProbeNet {
  readonly fused: boolean;
  private readonly convs: ConvWeights[] = [];
  readonly convShapes: ConvShape[] = [];
  private forwardPlan: ((inputs: tf.Tensor4D[], x: tf.Tensor4D) => tf.Tensor4D)[] = [];

  constructor(
    readonly layers: readonly ProbeLayer[],
    readonly batch: number,
    readonly size: number,
    readonly outputs: readonly number[],
    seed = 0,
    options: ProbeNetOptions = {},
  ) {
    this.fused = options.fused ?? fusedConvBnActEnabled();
    const applyConv = this.fused ? applyFusedConv : applyTapedConv;
    let nextSeed = seed;
    const channels: number[] = [];
    const sizes: number[] = [];
    const conv = (cin: number, spatial: number, cout: number, k: number, s: number, p: number, bnAct: boolean) => {
      const kernel = tf.variable(tf.randomNormal([k, k, cin, cout], 0, Math.sqrt(2 / (k * k * cin)), 'float32', nextSeed++));
      const weights: ConvWeights = bnAct
        ? { kernel, gamma: tf.variable(tf.ones([cout])), beta: tf.variable(tf.zeros([cout])), stride: s, pad: p }
        : { kernel, bias: tf.variable(tf.zeros([cout])), stride: s, pad: p };
      this.convs.push(weights);
      this.convShapes.push({ input: [batch, spatial, spatial, cin], filter: [k, k, cin, cout], stride: s, pad: p });
      return weights;
    };
    const block = (w: ConvWeights) => (x: tf.Tensor4D) => applyConv(w, x);
    for (const [index, layer] of layers.entries()) {
      const source = (from: number) => (from < 0 ? index + from : from);
      const cin = channels[source('from' in layer && typeof layer.from === 'number' ? layer.from : -1)] ?? 3;
      const spatial = index === 0 ? size : (sizes[source(typeof layer.from === 'number' ? layer.from : -1)] as number);
      switch (layer.op) {
        case 'conv': {
          const w = conv(cin, spatial, layer.out, layer.k, layer.s, layer.p ?? Math.floor(layer.k / 2), layer.bnAct ?? true);
          const from = source(layer.from);
          this.forwardPlan.push((outs, x) => block(w)(from === index - 1 ? x : (outs[from] as tf.Tensor4D)));
          channels.push(layer.out);
          sizes.push(Math.floor((spatial + 2 * (layer.p ?? Math.floor(layer.k / 2)) - layer.k) / layer.s) + 1);
          break;
        }
        case 'c3': {
          const hidden = layer.out / 2;
          const cv1 = conv(cin, spatial, hidden, 1, 1, 0, true);
          const cv2 = conv(cin, spatial, hidden, 1, 1, 0, true);
          const bottlenecks = Array.from({ length: layer.n }, () => [conv(hidden, spatial, hidden, 1, 1, 0, true), conv(hidden, spatial, hidden, 3, 1, 1, true)] as const);
          const cv3 = conv(2 * hidden, spatial, layer.out, 1, 1, 0, true);
          this.forwardPlan.push((_outs, x) => {
            let a = applyConv(cv1, x);
            for (const [b1, b2] of bottlenecks) {
              const y = applyConv(b2, applyConv(b1, a));
              a = layer.shortcut ? tf.add(a, y) : y;
            }
            return applyConv(cv3, tf.concat([a, applyConv(cv2, x)], 3));
          });
          channels.push(layer.out);
          sizes.push(spatial);
          break;
        }
        case 'sppf': {
          const hidden = cin / 2;
          const cv1 = conv(cin, spatial, hidden, 1, 1, 0, true);
          const cv2 = conv(hidden * 4, spatial, layer.out, 1, 1, 0, true);
          this.forwardPlan.push((_outs, x) => {
            const a = applyConv(cv1, x);
            const p1 = tf.maxPool(a, 5, 1, 'same');
            const p2 = tf.maxPool(p1, 5, 1, 'same');
            const p3 = tf.maxPool(p2, 5, 1, 'same');
            return applyConv(cv2, tf.concat([a, p1, p2, p3], 3));
          });
          channels.push(layer.out);
          sizes.push(spatial);
          break;
        }
        case 'up':
          this.forwardPlan.push((_outs, x) => tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]));
          channels.push(cin);
          sizes.push(spatial * 2);
          break;
        case 'cat': {
          const sources = layer.from.map(source);
          this.forwardPlan.push((outs) => tf.concat(sources.map((i) => outs[i] as tf.Tensor4D), 3));
          channels.push(sources.reduce((sum, i) => sum + (channels[i] as number), 0));
          sizes.push(sizes[sources[0] as number] as number);
          break;
        }
      }
    }
  }

  variables(): tf.Variable[] {
    return this.convs.flatMap((w) => [w.kernel, w.gamma, w.beta, w.bias].filter((v): v is tf.Variable => v !== undefined));
  }

  parameterCount(): number {
    return this.variables().reduce((sum, v) => sum + v.size, 0);
  }

  /** The detect outputs for an input batch. */
  forward(images: tf.Tensor4D): tf.Tensor4D[] {
    const outs: tf.Tensor4D[] = [];
    let x = images;
    for (const step of this.forwardPlan) {
      x = step(outs, x);
      outs.push(x);
    }
    return this.outputs.map((i) => outs[i] as tf.Tensor4D);
  }

  /** A stand-in loss with the right gradient flow: mean of squared outputs. */
  loss(images: tf.Tensor4D): tf.Scalar {
    return tf.addN(this.forward(images).map((out) => tf.mean(tf.square(out)))) as tf.Scalar;
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }
}

type Padding4 = [[number, number], [number, number], [number, number], [number, number]];
const padding = (pad: number): 'valid' | Padding4 => (pad === 0 ? 'valid' : [[0, 0], [pad, pad], [pad, pad], [0, 0]]);

function applyFusedConv(w: ConvWeights, x: tf.Tensor4D): tf.Tensor4D {
  if (w.bias) return applyTapedConv(w, x);
  return convBnActTraining(x, { filter: w.kernel as tf.Tensor4D, gamma: w.gamma as tf.Tensor1D, beta: w.beta as tf.Tensor1D }, { stride: w.stride, pad: padding(w.pad), activation: { kind: 'silu' }, eps: 1e-3 });
}

function applyTapedConv(w: ConvWeights, x: tf.Tensor4D): tf.Tensor4D {
  const padded = padding(w.pad);
  const y = tf.conv2d(x, w.kernel as tf.Tensor4D, w.stride, padded);
  if (w.bias) return tf.add(y, w.bias);
  // Batch statistics with plain arithmetic: tf.batchNorm's gradient tiles its inputs, several times slower on wasm.
  const { mean, variance } = tf.moments(y, [0, 1, 2]);
  const scale = tf.mul(w.gamma as tf.Tensor, tf.rsqrt(tf.add(variance, 1e-3)));
  const normalised = tf.add(tf.mul(tf.sub(y, mean), scale), w.beta as tf.Tensor);
  return tf.mul(normalised, tf.sigmoid(normalised));
}
