import { augmentPlugin } from '@yolo-distill/augment';
import type { Plugin } from '@yolo-distill/core';
import { dataPlugin } from '@yolo-distill/data';
import { evalPlugin } from '@yolo-distill/eval';
import { exportPlugin } from '@yolo-distill/export';
import { lossesPlugin } from '@yolo-distill/losses';
import { prunePlugin } from '@yolo-distill/prune';
import { quantizePlugin } from '@yolo-distill/quantize';
import { trainerPlugin } from '@yolo-distill/trainer';
import { yoloPlugin } from '@yolo-distill/yolo';
import { yoloV3Plugin } from '@yolo-distill/yolo-v3';
import { yoloV5Plugin } from '@yolo-distill/yolo-v5';
import { yoloV7Plugin } from '@yolo-distill/yolo-v7';
import { yoloV8Plugin } from '@yolo-distill/yolo-v8';

/** Every plugin the command knows; the registry gets this list, nothing registers itself. */
export function builtinPlugins(): Plugin[] {
  return [
    dataPlugin,
    augmentPlugin,
    yoloPlugin,
    yoloV3Plugin,
    yoloV5Plugin,
    yoloV7Plugin,
    yoloV8Plugin,
    lossesPlugin,
    trainerPlugin,
    prunePlugin,
    quantizePlugin,
    exportPlugin,
    evalPlugin,
  ];
}
