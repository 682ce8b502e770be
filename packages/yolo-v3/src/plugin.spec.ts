import { describePluginObject } from '@yolo-distill/core/testing';
import { yoloV3Plugin } from './plugin.js';

describePluginObject('yoloV3Plugin', yoloV3Plugin, new URL('../package.json', import.meta.url));
