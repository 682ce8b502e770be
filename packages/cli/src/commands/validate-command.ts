import { join } from 'node:path';
import { summarizePipeline, type PluginRegistry } from '@yolo-distill/core';
import { EXIT, type CliIO } from '../cli-io.js';
import { loadPipelineSpec, openPipelineSession, type PipelineSessionOptions } from './pipeline-session.js';

/**
 * `yolo-distill validate <pipeline>`: loads and validates the YAML, builds every plugin, prints the
 * pipeline's outline. Writes nothing: the run folder it would use is never created.
 */
export async function validateCommand(file: string, options: PipelineSessionOptions, registry: PluginRegistry, io: CliIO): Promise<number> {
  const spec = await loadPipelineSpec(file, registry, options, io);
  const session = await openPipelineSession(spec, registry, join(spec.runsDir, spec.name), io);
  io.stdout(`${summarizePipeline(spec)}\n`);
  const built = session.pipeline.stages.length + ['data', 'teacher', 'student'].filter((slot) => slot in session.pipeline.models).length;
  io.stdout(`ok: ${built} plugins built on the ${session.backend.name} backend (${session.backend.threads} thread(s))\n`);
  return EXIT.ok;
}
