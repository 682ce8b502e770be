import { describePluginObject } from '@yolo-distill/core/testing';
import { quantizePlugin } from './plugin.js';

describePluginObject('quantizePlugin', quantizePlugin, new URL('../package.json', import.meta.url));
