import { testPlugin } from '../test-support/test-plugins.js';
import { describePluginObject } from './plugin-object.js';

const manifest = new URL('../../package.json', import.meta.url);

// The suite a plugin package runs, here over core's in-memory test plugin named as core's package.json.
describePluginObject('describePluginObject', { meta: { name: '@yolo-distill/core', version: '0.1.0' }, descriptors: testPlugin.descriptors }, manifest);
