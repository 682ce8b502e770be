import type { Plugin } from '@yolo-distill/core';
import { distillStage } from './stages/distill-stage.js';
import { finetuneStage, trainStage } from './stages/train-stages.js';

/** The package's plugin object; the CLI hands it to the registry. */
export const trainerPlugin: Plugin = { meta: { name: '@yolo-distill/trainer', version: '0.1.0' }, descriptors: [trainStage, distillStage, finetuneStage] };
