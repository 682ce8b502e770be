export type { FeatureMaps, LossTerms, ModelOutput, NamedTensors, Scalar, Tensor, Tensor4D, Variable } from './contracts/tensors.js';
export type { ImageBatch, ImageTensorData, LabelRows, Sample } from './contracts/samples.js';
export type { Checkpointable } from './contracts/checkpointable.js';
export { isCheckpointable } from './contracts/checkpointable.js';
export type { DetectionModel, ForwardOptions, HeadKind, ModelAdapter, NativeLossOptions } from './contracts/detection-model.js';
export { MODEL_ADAPTERS } from './contracts/detection-model.js';
export type {
  GraphActivation,
  GraphAdd,
  GraphBatchNorm,
  GraphConcat,
  GraphConv,
  GraphMaxPool,
  GraphOp,
  GraphSplit,
  GraphUpsample,
  ModelGraph,
} from './contracts/model-graph.js';
export type { Teacher, TeacherForwardOptions } from './contracts/teacher.js';
export { PIPELINE_TEACHER } from './contracts/teacher.js';
export type { DistillBinding, HeadDescription } from './contracts/head-description.js';
export type { DistillLoss, StepInfo, TapPair } from './contracts/distill-loss.js';
export type { ConvHook, TrainingTransform } from './contracts/training-transform.js';
export type { AugmentContext, Augmentation, FeatureAugmentation, FeatureMix } from './contracts/augmentation.js';
export type { DatasetSource, Split } from './contracts/dataset-source.js';
export { PIPELINE_DATA } from './contracts/dataset-source.js';
export type { DiagnosedTerm, DiagnoseOptions, DiagnoseReport, PipelineModels, Stage, StageContext } from './contracts/stage.js';
export type { ExportArtifact, Exporter, Pruner, QuantizedModel, Quantizer } from './contracts/model-tools.js';
export type { Detection, GroundTruth, Metric } from './contracts/metric.js';
export type { OnnxFloatTensor, OnnxGraphOptimization, OnnxSession, OnnxSessionFactory, OnnxSessionOptions } from './contracts/onnx-session.js';
export { ONNX_SESSIONS } from './contracts/onnx-session.js';

export { ConfigError, formatProblem, type ConfigProblem, type SourcePosition } from './config/config-error.js';
export { ConfigLocation } from './config/config-location.js';
export { formatPath, parsePath, type ConfigPath } from './config/config-path.js';
export { InlineConfigSource, type ConfigSource } from './config/config-source.js';
export { parseWith } from './config/parse-with.js';
export { loadYamlFile, parseYamlText, type LoadedYaml, type YamlLoadOptions } from './config/yaml-loader.js';
export { closestMatch } from './config/closest-match.js';

export { PluginRef, type BuildContext, type Plugin, type PluginDescriptor, type PluginKind } from './plugins/plugin.js';
export { PluginRegistry } from './plugins/plugin-registry.js';

export { BACKEND_NAMES, type BackendName } from './pipeline/pipeline-schema.js';
export type { PipelineSpec, StageSpec } from './pipeline/pipeline-spec.js';
export { loadPipeline, parsePipeline } from './pipeline/pipeline-loader.js';
export { buildPipeline, type BuiltPipeline, type BuiltStage } from './pipeline/pipeline-builder.js';
export { summarizePipeline } from './pipeline/pipeline-summary.js';
export { isDetectionModel, teacherFromModel } from './pipeline/teacher-from-model.js';

export { PipelineRunner, STAGE_END_LABEL, type RunOptions, type RunResult } from './runner/pipeline-runner.js';
export { readRunState, RUN_STATE_FILE, type RunState, type RunStatus, type StageStatus } from './runner/run-state.js';
export { createRunContainer, type RunServicesOptions } from './runner/run-container.js';
export { claimNewRunFolder, describeOsError, latestRunFolder, newRunFolder } from './runner/run-location.js';
export { acquireRunLock, lockIsLive, readRunLock, RunLockedError, RUN_LOCK_FILE, type HeldRunLock, type RunLockOwner } from './runner/run-lock.js';
export { metricsFromEvents } from './runner/metrics-from-events.js';
export { parseEventLines } from './runner/event-lines.js';

export { BatchLoader, collate, type BatchLoaderOptions } from './data/batch-loader.js';
export { temporaryNameFor, writeDirectoryAtomic, writeFileAtomic } from './services/atomic-write.js';
export {
  FileCheckpointStore,
  loadCheckpointFolder,
  type CheckpointDType,
  type CheckpointPayload,
  type CheckpointRecord,
  type CheckpointStore,
  type SaveOptions,
  type StageCheckpoints,
  type StoredTensor,
} from './services/checkpoint-store.js';
export { EventBus, type RunEventListener } from './services/event-bus.js';
export type { EventOf, RunEvent, RunEventType, TimedRunEvent } from './services/events.js';
export { StreamLogger, type LogLevel, type Logger } from './services/logger.js';
export { SeededRng, type Rng, type RngState } from './services/rng.js';
export { RunFolder } from './services/run-folder.js';
export { BACKEND, CHECKPOINT_STORE, EVENT_BUS, LOGGER, RNG, RUN_FOLDER, RUN_INFO, type BackendHandle, type RunInfo } from './services/tokens.js';
