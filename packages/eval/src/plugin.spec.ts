import { describePluginObject } from '@yolo-distill/core/testing';
import { evalPlugin } from './plugin.js';

describePluginObject('evalPlugin', evalPlugin, new URL('../package.json', import.meta.url));
