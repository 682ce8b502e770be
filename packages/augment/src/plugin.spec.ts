import { describePluginObject } from '@yolo-distill/core/testing';
import { augmentPlugin } from './plugin.js';

describePluginObject('augmentPlugin', augmentPlugin, new URL('../package.json', import.meta.url));
