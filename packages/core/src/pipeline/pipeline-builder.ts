import type { DependencyContainer } from 'tsyringe';
import { PIPELINE_DATA } from '../contracts/dataset-source.js';
import { PIPELINE_TEACHER } from '../contracts/teacher.js';
import type { PipelineModels, Stage } from '../contracts/stage.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import type { PipelineSpec } from './pipeline-spec.js';
import { isDetectionModel, teacherFromModel } from './teacher-from-model.js';

export interface BuiltStage {
  readonly name: string;
  readonly type: string;
  readonly stage: Stage;
}

/** Every plugin of a pipeline, built in one run's container, ready for the runner. */
export interface BuiltPipeline {
  readonly spec: PipelineSpec;
  readonly models: PipelineModels;
  readonly stages: readonly BuiltStage[];
}

/** Builds data, teacher, student and stages, in that order, inside `container`. */
export async function buildPipeline(spec: PipelineSpec, registry: PluginRegistry, container: DependencyContainer): Promise<BuiltPipeline> {
  const models: PipelineModels = {};
  if (spec.data) {
    models.data = await registry.build(spec.data, container);
    container.registerInstance(PIPELINE_DATA, models.data);
  }
  if (spec.teacher) {
    const teacher = await registry.build(spec.teacher, container);
    models.teacher = isDetectionModel(teacher) ? teacherFromModel(teacher) : teacher;
    container.registerInstance(PIPELINE_TEACHER, models.teacher);
  }
  if (spec.student) models.student = await registry.build(spec.student, container);
  const stages: BuiltStage[] = [];
  for (const { name, ref } of spec.stages) {
    stages.push({ name, type: ref.type, stage: await registry.build(ref, container) });
  }
  return { spec, models, stages };
}
