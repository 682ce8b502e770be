import * as tf from '@tensorflow/tfjs-core';
import type { AnchorHeadSpec } from '../heads/head-spec.js';
import { Conv2d } from './conv-layers.js';
import type { ModuleArgs } from './module-args.js';
import { defineModule, type ArgsContext } from './module-entry.js';

export interface DetectArgs {
  readonly nc: number;
  /** Per level, `[w, h]` pairs in input pixels. */
  readonly anchors: readonly (readonly (readonly [number, number])[])[];
}

/**
 * yolov5's `check_anchor_order`: anchors must grow with the stride; if the first level's mean anchor
 * area is larger than the last's while strides grow, the level order is reversed.
 */
export function orderAnchors(anchors: DetectArgs['anchors'], strides: readonly number[]): DetectArgs['anchors'] {
  const area = (level: readonly (readonly [number, number])[]): number => level.reduce((sum, [w, h]) => sum + w * h, 0) / level.length;
  const first = anchors[0];
  const last = anchors[anchors.length - 1];
  if (!first || !last || strides.length < 2) return anchors;
  const da = area(last) - area(first);
  const ds = (strides[strides.length - 1] as number) - (strides[0] as number);
  return da !== 0 && Math.sign(da) !== Math.sign(ds) ? [...anchors].reverse() : anchors;
}

/** `[nc, anchors]` of an anchor-based head (Detect, IDetect): anchors per level as flat pixel pairs, one level per input. */
export function parseDetectArgs(args: ModuleArgs, { inputCount }: ArgsContext): DetectArgs {
  args.atLeast(2);
  args.atMost(2);
  const nc = args.int(0, 'nc');
  const raw = args.raw(1);
  if (!Array.isArray(raw)) {
    throw args.error(1, `argument 1 (anchors) must list the anchors of each level in pixels, like [[10,13, 16,30, 33,23], ...], found ${JSON.stringify(raw)}`);
  }
  if (raw.length !== inputCount) throw args.error(1, `argument 1 (anchors) has ${raw.length} level(s) but 'from' names ${inputCount} map(s)`);
  const anchors = raw.map((level, i) => {
    if (!Array.isArray(level) || level.length === 0 || level.length % 2 !== 0 || !level.every((v) => typeof v === 'number' && v > 0)) {
      throw args.error(1, `anchors of level ${i} must be an even-length list of positive w, h pixel values, found ${JSON.stringify(level)}`);
    }
    return Array.from({ length: level.length / 2 }, (_, a) => [level[2 * a] as number, level[2 * a + 1] as number] as const);
  });
  if (new Set(anchors.map((level) => level.length)).size > 1) throw args.error(1, `every level needs the same number of anchors, found ${anchors.map((l) => l.length).join(', ')}`);
  return { nc, anchors };
}

/**
 * Anchor-based `Detect` (YOLOv5, also v3): per level a 1x1 `nn.Conv2d` with bias to `na * (5 + nc)`
 * channels, `<prefix>.m.<i>.weight|bias`. Channel `a * (5 + nc) + k` is anchor a, field k (x, y, w, h,
 * obj, classes). The raw output per level is NHWC `[B, H, W, na * (5 + nc)]`.
 */
export const detectModule = defineModule<DetectArgs>({
  name: 'Detect',
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
    const no = 5 + args.nc;
    const convs = inputChannels.map((c, i) => new Conv2d(params, `${prefix}.m.${i}`, c, na * no, { kernel: 1 }));
    initialiseDetectBiases(convs, inputStrides, na, args.nc);
    return { kind: 'head', spec, forward: (inputs) => convs.map((conv, i) => conv.forward(inputs[i]!)) };
  },
});

/** yolov5's `_initialize_biases` (yolov7's too): objectness for ~8 objects per 640 image, classes at 0.6 / (nc - 0.99). */
export function initialiseDetectBiases(convs: readonly Conv2d[], strides: readonly number[], na: number, nc: number): void {
  const no = 5 + nc;
  convs.forEach((conv, i) => {
    const stride = strides[i] as number;
    const offsets = new Float32Array(na * no);
    for (let a = 0; a < na; a++) {
      offsets[a * no + 4] = Math.log(8 / (640 / stride) ** 2);
      for (let k = 5; k < no; k++) offsets[a * no + k] = Math.log(0.6 / (nc - 0.99));
    }
    tf.tidy(() => conv.bias.assign(tf.add(conv.bias, tf.tensor1d(offsets))));
  });
}
