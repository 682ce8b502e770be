import { join } from 'node:path';
import { ConfigError, summarizePipeline, type PluginRegistry } from '@yolo-distill/core';
import { EXIT, type CliIO } from '../cli-io.js';
import { checkPipelineData } from './check-pipeline-data.js';
import { loadPipelineSpec, openPipelineSession, type PipelineSessionOptions } from './pipeline-session.js';

/**
 * `yolo-distill validate <pipeline>`: loads and validates the YAML, builds every plugin, prints the
 * pipeline's outline, checks that teacher and student predict the same classes and reads the dataset as
 * `data check` does (when it exists), then dry-runs each stage that can (`Stage.preflight`). Writes
 * nothing: the run folder it would use is never created, and a dataset to generate is not generated.
 */
export async function validateCommand(file: string, options: PipelineSessionOptions & { readonly dryRun?: boolean }, registry: PluginRegistry, io: CliIO): Promise<number> {
  const spec = await loadPipelineSpec(file, registry, options, io);
  const session = await openPipelineSession(spec, registry, join(spec.runsDir, spec.name), io);
  io.stdout(`${summarizePipeline(spec)}\n`);
  const { teacher, student, data } = session.pipeline.models;
  if (teacher && student && teacher.numClasses !== student.numClasses) {
    const at = spec.teacher?.at ?? spec.student?.at;
    const message = `the teacher predicts ${teacher.numClasses} classes, the student ${student.numClasses}: they must be trained on the same classes (give the student classes: ${teacher.numClasses}, or a teacher of these ${student.numClasses} classes)`;
    throw at ? at.error(message) : new Error(message);
  }
  if (data) {
    const checked = await checkPipelineData(data, io);
    if (checked !== EXIT.ok) return checked;
  }
  for (const [index, stage] of session.pipeline.stages.entries()) {
    if (!stage.stage.preflight || options.dryRun === false) continue;
    const at = spec.stages[index]?.ref.at;
    try {
      io.stdout(`dry run of ${stage.name}: ${await stage.stage.preflight(session.pipeline.models)}\n`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof ConfigError || !at) throw error;
      throw at.error(`dry run of stage '${stage.name}' failed: ${reason}`);
    }
  }
  const built = session.pipeline.stages.length + ['data', 'teacher', 'student'].filter((slot) => slot in session.pipeline.models).length;
  io.stdout(`ok: ${built} plugins built on the ${session.backend.name} backend (${session.backend.threads} thread(s))\n`);
  return EXIT.ok;
}
