import * as tf from '@tensorflow/tfjs-core';
import { IDENTITY } from './activation.js';
import { ConvBnAct } from './conv-layers.js';
import { defineModule, scaleChannels, type ModuleDefinition } from './module-entry.js';

export interface SppfArgs {
  readonly c2: number;
  readonly k: number;
  readonly n: number;
  readonly shortcut: boolean;
}

/**
 * `SPPF`: `y0 = cv1(x)`, `y_{i+1} = maxpool_k(y_i)` (stride 1, same size) n times, `cv2(cat(y0..yn))`.
 * Two upstream versions differ: yolov5's cv1 has the activation; Ultralytics 8.4 (YOLO26 changes) made
 * cv1 linear (`act=False`) and added `n` and `shortcut`. The YOLOv8 fixture (8.4.52) has a linear cv1.
 */
function makeSppfModule(variant: 'yolov5' | 'ultralytics'): ModuleDefinition<SppfArgs> {
  const ultralytics = variant === 'ultralytics';
  return defineModule<SppfArgs>({
    name: 'SPPF',
    signature: ultralytics ? '[c2, k=5, n=3, shortcut=False]' : '[c2, k=5]',
    repeat: 'stacked',
    inputs: 'single',
    role: 'layer',
    parseArgs(args) {
      args.atLeast(1);
      args.atMost(ultralytics ? 4 : 2);
      const k = args.int(1, 'k', { default: 5 });
      if (k % 2 !== 1) throw args.error(1, `argument 1 (k) must be odd so that the map keeps its size, found ${k}`);
      return { c2: args.int(0, 'c2'), k, n: args.int(2, 'n', { default: 3 }), shortcut: args.bool(3, 'shortcut', false) };
    },
    outputChannels: (args, _inputs, scaling) => scaleChannels(args.c2, scaling),
    outputStride: (_args, [stride = 1]) => stride,
    build({ prefix, args, inputChannels: [c1 = 0], outputChannels: c2, params, activation }) {
      const hidden = Math.floor(c1 / 2);
      const cv1 = new ConvBnAct(params, `${prefix}.cv1`, c1, hidden, { kernel: 1, activation: ultralytics ? IDENTITY : activation });
      const cv2 = new ConvBnAct(params, `${prefix}.cv2`, hidden * (args.n + 1), c2, { kernel: 1, activation });
      const add = args.shortcut && c1 === c2;
      return {
        kind: 'layer',
        forward([x], { training }) {
          const ys = [cv1.forward(x!, training)];
          for (let i = 0; i < args.n; i++) ys.push(tf.maxPool(ys[i]!, args.k, 1, 'same'));
          const y = cv2.forward(tf.concat(ys, 3), training);
          return add ? tf.add(y, x!) : y;
        },
      };
    },
  });
}

/** yolov5's SPPF (cv1 with activation). */
export const sppfModule = makeSppfModule('yolov5');
/** Ultralytics 8.4's SPPF (linear cv1, `n`, `shortcut`). */
export const ultralyticsSppfModule = makeSppfModule('ultralytics');
