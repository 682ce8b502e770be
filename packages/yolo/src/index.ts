export { yoloPlugin } from './plugin.js';
export { boxIoU, xywhToXyxy, xyxyToXywh, type BoxFormat, type BoxIoUOptions, type IoUKind } from './boxes/box-iou.js';
export { stopGradient } from './tensor/stop-gradient.js';
export { onnx } from './onnx/onnx-proto.js';
export {
  parseOnnxModel,
  readOnnxModel,
  type OnnxAttributeValue,
  type OnnxDim,
  type OnnxFloatData,
  type OnnxIntData,
  type OnnxModelFile,
  type OnnxNode,
  type OnnxOpaqueAttribute,
  type OnnxValueInfo,
} from './onnx/onnx-model.js';
export { withExtraOutputs } from './onnx/onnx-graph-edit.js';
export {
  encodeOnnxModel,
  minimumIrVersion,
  OnnxModelBuilder,
  writeOnnxModel,
  type OnnxAttributeInput,
  type OnnxElemType,
  type OnnxModelBuilderOptions,
  type OnnxNodeOptions,
  type OnnxTensorValues,
} from './onnx/onnx-writer.js';
export { NMS_DEFAULTS, nmsIndices, nonMaxSuppression, type DetectionPredictions, type NonMaxSuppressionOptions } from './nms/non-max-suppression.js';
