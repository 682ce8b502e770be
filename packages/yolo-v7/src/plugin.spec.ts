import { describePluginObject } from '@yolo-distill/core/testing';
import { yoloV7Plugin } from './plugin.js';

describePluginObject('yoloV7Plugin', yoloV7Plugin, new URL('../package.json', import.meta.url));
