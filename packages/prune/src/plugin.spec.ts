import { describePluginObject } from '@yolo-distill/core/testing';
import { prunePlugin } from './plugin.js';

describePluginObject('prunePlugin', prunePlugin, new URL('../package.json', import.meta.url));
