import type { Plugin } from '@yolo-distill/core';
import { fakeQuant } from './fake-quant/fake-quant.js';
import { int8Stage } from './stage/int8-stage.js';

/** The package's plugin object; the CLI hands it to the registry. */
export const quantizePlugin: Plugin = { meta: { name: '@yolo-distill/quantize', version: '0.1.0' }, descriptors: [int8Stage, fakeQuant] };
