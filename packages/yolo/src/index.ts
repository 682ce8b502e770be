export { yoloPlugin } from './plugin.js';
export { boxIoU, xywhToXyxy, xyxyToXywh, type BoxFormat, type BoxIoUOptions, type IoUKind } from './boxes/box-iou.js';
export { stopGradient } from './tensor/stop-gradient.js';
export { anchorGrid, makeAnchors, type AnchorGrid, type GridSize } from './assign/make-anchors.js';
export { bbox2dist, dist2bbox } from './assign/box-distance.js';
export { pairCIoU } from './assign/pair-ciou.js';
export { TaskAlignedAssigner, type AssignerInput, type Assignment, type TaskAlignedAssignerOptions } from './assign/task-aligned-assigner.js';
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
export { SILU, IDENTITY, applyActivation, parseActivation, describeActivation, type Activation } from './modules/activation.js';
export { BatchNorm2d, BN_EPS, BN_MOMENTUM } from './modules/batch-norm.js';
export { Conv2d, ConvBnAct, autopad, torchPadding, type ConvOptions } from './modules/conv-layers.js';
export { BottleneckBlock, bottleneckModule, ultralyticsBottleneckModule, type BottleneckArgs } from './modules/bottleneck.js';
export { convModule, type ConvArgs } from './modules/conv.js';
export { c3Module, type C3Args } from './modules/c3.js';
export { c2fModule, type C2fArgs } from './modules/c2f.js';
export { sppModule, type SppArgs } from './modules/spp.js';
export { sppfModule, ultralyticsSppfModule, type SppfArgs } from './modules/sppf.js';
export { concatModule } from './modules/concat.js';
export { upsampleModule } from './modules/upsample.js';
export { detectModule, orderAnchors, type DetectArgs } from './modules/detect.js';
export { dflDetectModule, type DflDetectArgs } from './modules/detect-dfl.js';
export {
  defineModule,
  makeDivisible,
  pythonRound,
  scaleChannels,
  scaleRepeats,
  type ArgsContext,
  type ForwardMode,
  type HeadInstance,
  type LayerInstance,
  type ModuleBuildContext,
  type ModuleDefinition,
  type ModuleEntry,
  type ModuleInstance,
  type Scaling,
} from './modules/module-entry.js';
export { ModuleArgs } from './modules/module-args.js';
export { ModuleRegistry } from './modules/module-registry.js';
export { ULTRALYTICS_MODULES, YOLOV5_MODULES, ultralyticsModules, yolov5Modules } from './modules/module-lists.js';
export { ParameterStore, type ModelParameter, type ParameterLayout, type ParameterRole } from './modules/parameters.js';
export { loadModelYaml, parseModelYaml, type ModelYamlOptions } from './yaml/model-yaml.js';
export type { ChannelWidths, LayerSpec, ModelSpec } from './yaml/model-spec.js';
export { checkpointChannelWidths } from './model/channel-widths.js';
export { isAnchorHead, isDflHead, type AnchorHeadSpec, type DflHeadSpec, type HeadSpec } from './heads/head-spec.js';
export { HEAD_KINDS, headChannels, headKind, headKinds } from './heads/kinds/head-kinds.js';
export { HeadKindRegistry } from './heads/kinds/head-kind-registry.js';
export type { ExportedLayout, HeadKindEntry, LevelRows, LevelRowsOptions } from './heads/kinds/head-kind.js';
export { anchorBasedHead, decodeAnchorBox } from './heads/kinds/anchor-based-head.js';
export { anchorFreeHead, dflExpectation, distancesToBox } from './heads/kinds/anchor-free-head.js';
export { anchorLevelView, decodeAnchorBased } from './heads/anchor-decode.js';
export { anchorPoints, decodeDfl, decodeDflAsExported, dflDistances, flattenLevels } from './heads/dfl-decode.js';
export { decodeAsExported, decodeDetections } from './heads/decode.js';
export { describeModelGraph, GRAPH_INPUT } from './graph/describe-model-graph.js';
export { GraphRecorder, scopePath, type ConvBnActGraphOptions } from './graph/graph-recorder.js';
export type { ModuleGraph, ModuleGraphContext } from './graph/module-graph.js';
export { YoloModel, YOLO_STATE_FORMAT, type YoloLossFunction, type YoloModelOptions } from './model/yolo-model.js';
export { importOnnxModelWeights, importOnnxWeights, type OnnxImportOptions, type OnnxImportReport } from './import/import-onnx-weights.js';
export { adapterModelDescriptor, type AdapterModelConfig, type AdapterModelOptions } from './adapter/model-descriptor.js';
export { createOnnxTeacher, type OnnxTeacherOptions } from './onnx-teacher/create-onnx-teacher.js';
export { OnnxTeacher, type OnnxTeacherParts } from './onnx-teacher/onnx-teacher.js';
export { onnxTeacher, type OnnxTeacherConfig } from './onnx-teacher/onnx-teacher-descriptor.js';
export { findDetectHead } from './onnx-teacher/find-detect-head.js';
export type { DetectHeadLayout, DetectLevel } from './onnx-teacher/detect-head-layout.js';
export type { NamedHeadTensors } from './onnx-teacher/named-head.js';
export { centredIoU, whRatio, type BoxWh } from './anchors/wh-metrics.js';
export { anchorFitness, compareFitness, type AnchorFitness, type AnchorFitnessOptions } from './anchors/anchor-fitness.js';
export { kmeansAnchors, type KmeansAnchorsOptions, type KmeansAnchorsResult } from './anchors/kmeans-anchors.js';
export { refitAnchors, type LevelAnchors, type RefitAnchorsOptions, type RefitAnchorsResult } from './anchors/refit-anchors.js';
export { readLabelBoxes, type LabelBoxes, type LabelBoxesOptions } from './anchors/label-boxes.js';
export { readPredictedBoxes, type BoxPredictor, type PredictedBoxesOptions } from './anchors/predicted-boxes.js';
export { withAnchors } from './anchors/with-anchors.js';
export { parseAnchorsOption, type AnchorRefitConfig, type AnchorsConfig } from './adapter/anchors-option.js';
export {
  YOLOV5_DEFAULT_ANCHORS,
  YOLOV5_DEFAULT_STRIDES,
  YOLOV5_LOSS_DEFAULTS,
  defaultBalance,
  resolveYoloV5LossConfig,
  trainPyGains,
  type YoloV5LossConfig,
  type YoloV5LossGains,
  type YoloV5LossHyperparameters,
  type YoloV5LossOptions,
} from './loss/anchor-based/loss-config.js';
export { buildTargets, checkTargets, type LevelGrid, type LevelTargets, type TargetMatching, type YoloTargets } from './loss/anchor-based/build-targets.js';
export { bceWithLogits, type BinaryLossOptions } from './loss/anchor-based/bce-with-logits.js';
export { computeMatchedLoss, computeYoloV5Loss, createYoloV5Loss, levelGrids, type SoftClassTargets, type YoloV5Loss, type YoloV5LossOutput, type YoloV5LossTerms } from './loss/anchor-based/yolo-v5-loss.js';
export { yoloV5LossFunction } from './loss/anchor-based/v5-loss-function.js';
export { maxPool2dModule, maxPoolOutputSize, type MaxPoolArgs } from './modules/max-pool.js';
export { zeroPad2dModule, type ZeroPadArgs } from './modules/zero-pad.js';
export { yolov7ConvModule, readActivationArg, resolveActivation } from './modules/conv.js';
export { torchMaxPool } from './modules/max-pool.js';
export { mpModule, spModule } from './modules/yolov7-pools.js';
export { sppcspcModule, type SppcspcArgs } from './modules/sppcspc.js';
export { RepConvBlock, repConvModule, type FusedConv, type RepConvArgs } from './modules/rep-conv.js';
export { ImplicitLevel, implicitDetectModule } from './modules/implicit-detect.js';
export { initialiseDetectBiases, parseDetectArgs } from './modules/detect.js';
export { objectnessSlots, predictionRows } from './loss/anchor-based/flat-index.js';
export {
  YOLOV8_LOSS_DEFAULTS,
  resolveYoloV8LossConfig,
  type YoloV8AssignerSettings,
  type YoloV8LossConfig,
  type YoloV8LossGains,
  type YoloV8LossOptions,
} from './loss/anchor-free/loss-config.js';
export { computeYoloV8Loss, createYoloV8Loss, type DetectionTargets, type YoloV8Loss, type YoloV8LossOutput, type YoloV8LossTerms } from './loss/anchor-free/yolo-v8-loss.js';
export { bceWithLogits as elementwiseBceWithLogits } from './loss/anchor-free/bce-with-logits.js';
export { bboxLoss, type ForegroundBoxes } from './loss/anchor-free/bbox-loss.js';
export { decodeDistances } from './loss/anchor-free/distribution-decode.js';
export { distributionFocalLoss } from './loss/anchor-free/dfl-loss.js';
export { gatherRows } from './loss/anchor-free/gather-rows.js';
export { padTargets, type PaddedTargets } from './loss/anchor-free/pad-targets.js';
export { yoloV8LossFunction } from './loss/anchor-free/v8-loss-function.js';
