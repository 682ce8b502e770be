import { PipelineRunner, latestRunFolder, newRunFolder, type PluginRegistry } from '@yolo-distill/core';
import { EXIT, type CliIO } from '../cli-io.js';
import { ProgressPrinter } from '../progress-printer.js';
import { loadPipelineSpec, openPipelineSession, type PipelineSessionOptions } from './pipeline-session.js';

export interface RunCommandOptions extends PipelineSessionOptions {
  /** `true`: continue the newest run of this pipeline; a string: continue the run in that folder. */
  readonly resume?: boolean | string;
  readonly signal?: AbortSignal;
}

/** `yolo-distill run <pipeline>`: runs the stages with progress output, in `runs/<name>[-N]/`. */
export async function runCommand(file: string, options: RunCommandOptions, registry: PluginRegistry, io: CliIO): Promise<number> {
  const spec = await loadPipelineSpec(file, registry, options, io);
  let folder: string;
  if (typeof options.resume === 'string') folder = options.resume;
  else if (options.resume) {
    const latest = latestRunFolder(spec.runsDir, spec.name);
    if (!latest) {
      io.stderr(`error: --resume found no earlier run of '${spec.name}' in ${spec.runsDir}/\n`);
      return EXIT.badInput;
    }
    folder = latest;
  } else folder = newRunFolder(spec.runsDir, spec.name);

  const session = await openPipelineSession(spec, registry, folder, io);
  const detach = new ProgressPrinter(io).attach(session.events, session.pipeline.stages.length);
  try {
    io.stderr(`backend ${session.backend.name} (${session.backend.threads} thread(s)); run folder ${folder}\n`);
    const runner = session.container.resolve(PipelineRunner);
    const runOptions = { resume: options.resume !== undefined && options.resume !== false, ...(options.signal ? { signal: options.signal } : {}) };
    const result = await runner.run(session.pipeline, runOptions);
    io.stdout(`${result.status}: ${result.folder}\n`);
    return EXIT.ok;
  } finally {
    detach();
  }
}
