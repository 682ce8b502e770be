import { describePluginObject } from '@yolo-distill/core/testing';
import { yoloPlugin } from './plugin.js';

describePluginObject('yoloPlugin', yoloPlugin, new URL('../package.json', import.meta.url));
