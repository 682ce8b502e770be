import type { Plugin } from '@yolo-distill/core';
import { onnxTeacher } from './onnx-teacher/onnx-teacher-descriptor.js';

/** The package's plugin object; the CLI hands it to the registry. Its types arrive with the issues that build them. */
export const yoloPlugin: Plugin = { meta: { name: '@yolo-distill/yolo', version: '0.1.0' }, descriptors: [onnxTeacher] };
