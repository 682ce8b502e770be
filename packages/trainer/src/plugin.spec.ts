import { describePluginObject } from '@yolo-distill/core/testing';
import { trainerPlugin } from './plugin.js';

describePluginObject('trainerPlugin', trainerPlugin, new URL('../package.json', import.meta.url));
