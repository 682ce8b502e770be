import { describePluginObject } from '@yolo-distill/core/testing';
import { yoloV5Plugin } from './plugin.js';

describePluginObject('yoloV5Plugin', yoloV5Plugin, new URL('../package.json', import.meta.url));
