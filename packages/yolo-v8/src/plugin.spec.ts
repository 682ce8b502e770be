import { describePluginObject } from '@yolo-distill/core/testing';
import { yoloV8Plugin } from './plugin.js';

describePluginObject('yoloV8Plugin', yoloV8Plugin, new URL('../package.json', import.meta.url));
