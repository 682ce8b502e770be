import type { Plugin } from '@yolo-distill/core';
import { exportOnnxStage } from './export-onnx-stage.js';
import { exportTfjsStage } from './export-tfjs-stage.js';
import { EXPORT_PACKAGE_VERSION } from './package-version.js';

/** The package's plugin object; the CLI hands it to the registry. */
export const exportPlugin: Plugin = { meta: { name: '@yolo-distill/export', version: EXPORT_PACKAGE_VERSION }, descriptors: [exportOnnxStage, exportTfjsStage] };
