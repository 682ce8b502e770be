import type { DatasetSource } from '../contracts/dataset-source.js';
import type { DetectionModel } from '../contracts/detection-model.js';
import type { Stage } from '../contracts/stage.js';
import type { Teacher } from '../contracts/teacher.js';
import type { PluginRef } from '../plugins/plugin.js';
import type { BackendName } from './pipeline-schema.js';

export interface StageSpec {
  readonly name: string;
  readonly ref: PluginRef<Stage>;
}

/** A validated pipeline: every plugin node parsed, nothing built yet, nothing written. */
export interface PipelineSpec {
  readonly file: string;
  readonly name: string;
  readonly seed: number;
  readonly backend: BackendName;
  readonly runsDir: string;
  readonly data?: PluginRef<DatasetSource>;
  readonly teacher?: PluginRef<Teacher | DetectionModel>;
  readonly student?: PluginRef<DetectionModel>;
  readonly stages: readonly StageSpec[];
  /** The YAML after `${ENV}` and `--set` were applied, saved in the run folder. */
  readonly resolvedText: string;
}
