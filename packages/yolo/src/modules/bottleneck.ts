import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './activation.js';
import { ConvBnAct } from './conv-layers.js';
import { defineModule, scaleChannels, type ModuleDefinition } from './module-entry.js';
import type { ParameterStore } from './parameters.js';

/**
 * The residual block: `cv1` (k1, c -> c*e), `cv2` (k2, -> c2), `x + cv2(cv1(x))` when `shortcut` and
 * `c1 == c2`. YOLOv5 and C3 use kernels (1, 3); Ultralytics' Bottleneck and C2f use (3, 3).
 */
export class BottleneckBlock {
  private readonly cv1: ConvBnAct;
  private readonly cv2: ConvBnAct;
  private readonly add: boolean;

  constructor(
    params: ParameterStore,
    prefix: string,
    c1: number,
    c2: number,
    options: { readonly shortcut: boolean; readonly kernels: readonly [number, number]; readonly expansion: number; readonly activation: Activation },
  ) {
    const hidden = Math.trunc(c2 * options.expansion);
    this.cv1 = new ConvBnAct(params, `${prefix}.cv1`, c1, hidden, { kernel: options.kernels[0], activation: options.activation });
    this.cv2 = new ConvBnAct(params, `${prefix}.cv2`, hidden, c2, { kernel: options.kernels[1], activation: options.activation });
    this.add = options.shortcut && c1 === c2;
  }

  /** The channels the block reads (a pruned model's may differ from the nominal `c1`). */
  get inputChannels(): number {
    return this.cv1.cin;
  }

  forward(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    const y = this.cv2.forward(this.cv1.forward(x, training), training);
    return this.add ? tf.add(x, y) : y;
  }
}

export interface BottleneckArgs {
  readonly c2: number;
  readonly shortcut: boolean;
  readonly kernels: readonly [number, number];
  readonly e: number;
}

function makeBottleneckModule(variant: 'yolov5' | 'ultralytics'): ModuleDefinition<BottleneckArgs> {
  const withKernels = variant === 'ultralytics';
  return defineModule<BottleneckArgs>({
    name: 'Bottleneck',
    signature: withKernels ? '[c2, shortcut=True, g=1, k=(3, 3), e=0.5]' : '[c2, shortcut=True, g=1, e=0.5]',
    repeat: 'stacked',
    inputs: 'single',
    role: 'layer',
    parseArgs(args) {
      args.atLeast(1);
      args.atMost(withKernels ? 5 : 4);
      args.ungrouped(2);
      let kernels: readonly [number, number] = withKernels ? [3, 3] : [1, 3];
      if (withKernels && args.has(3)) {
        const k = args.raw(3);
        if (!Array.isArray(k) || k.length !== 2 || !k.every((v) => Number.isInteger(v) && (v as number) > 0)) {
          throw args.error(3, `argument 3 (k) must be a pair of kernel sizes like [3, 3], found ${JSON.stringify(k)}`);
        }
        kernels = [k[0] as number, k[1] as number];
      }
      const e = args.number(withKernels ? 4 : 3, 'e', { default: 0.5, min: 0, exclusiveMin: true });
      return { c2: args.int(0, 'c2'), shortcut: args.bool(1, 'shortcut', true), kernels, e };
    },
    outputChannels: (args, _inputs, scaling) => scaleChannels(args.c2, scaling),
    outputStride: (_args, [stride = 1]) => stride,
    build({ prefix, args, inputChannels: [c1 = 0], outputChannels, params, activation }) {
      const block = new BottleneckBlock(params, prefix, c1, outputChannels, { shortcut: args.shortcut, kernels: args.kernels, expansion: args.e, activation });
      return { kind: 'layer', forward: ([x], mode) => block.forward(x!, mode.training) };
    },
  });
}

/** yolov5's `Bottleneck(c1, c2, shortcut, g, e)`: cv1 1x1, cv2 3x3. */
export const bottleneckModule = makeBottleneckModule('yolov5');
/** Ultralytics' `Bottleneck(c1, c2, shortcut, g, k=(3, 3), e)`. */
export const ultralyticsBottleneckModule = makeBottleneckModule('ultralytics');
