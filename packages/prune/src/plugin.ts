import type { Plugin } from '@yolo-distill/core';
import { pruneChannelsStage } from './stage/prune-stage.js';

/** The package's plugin object; the CLI hands it to the registry. */
export const prunePlugin: Plugin = { meta: { name: '@yolo-distill/prune', version: '0.1.0' }, descriptors: [pruneChannelsStage] };
