import type { Plugin } from '@yolo-distill/core';
import { cocoMapMetric } from './metric-descriptors.js';

/** Matches package.json (a test checks it). */
export const EVAL_PACKAGE_VERSION = '0.1.0';

/** The package's plugin object; the CLI hands it to the registry. */
export const evalPlugin: Plugin = { meta: { name: '@yolo-distill/eval', version: EVAL_PACKAGE_VERSION }, descriptors: [cocoMapMetric] };
