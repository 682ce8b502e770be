import { describePluginObject } from '@yolo-distill/core/testing';
import { lossesPlugin } from './plugin.js';

describePluginObject('lossesPlugin', lossesPlugin, new URL('../package.json', import.meta.url));
