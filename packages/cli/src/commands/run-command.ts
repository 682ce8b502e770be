import { rmSync, readdirSync } from 'node:fs';
import { claimNewRunFolder, latestRunFolder, PipelineRunner, RunLockedError, type EventBus, type PluginRegistry } from '@yolo-distill/core';
import { EXIT, type CliIO } from '../cli-io.js';
import { BarProgress } from '../progress/bar-progress.js';
import { PlainProgress } from '../progress/plain-progress.js';
import { writeRunReport } from '../report/write-run-report.js';
import { ResultsCsv } from '../run-folder/results-csv.js';
import { loadPipelineSpec, openPipelineSession, type PipelineSession, type PipelineSessionOptions } from './pipeline-session.js';
import { resumeSpec } from './resume-spec.js';

/** How progress is shown: bars on a terminal and plain lines elsewhere (`auto`), nothing, or every event as a JSON line on stdout. */
export type ProgressMode = 'auto' | 'quiet' | 'json';

export interface RunCommandOptions extends PipelineSessionOptions {
  /** `true`: continue the newest run of this pipeline; a string: continue the run in that folder. */
  readonly resume?: boolean | string;
  readonly signal?: AbortSignal;
  readonly progress?: ProgressMode;
  /** Write `report.html` and `plots/` when the run completes (default true). */
  readonly report?: boolean;
}

/** `yolo-distill run <pipeline>`: runs the stages with progress output, in `runs/<name>[-N]/`. */
export async function runCommand(file: string, options: RunCommandOptions, registry: PluginRegistry, io: CliIO): Promise<number> {
  const resuming = options.resume !== undefined && options.resume !== false;
  const original = await loadPipelineSpec(file, registry, resuming ? { overrides: [] } : options, io);
  let folder: string;
  let claimed = false;
  if (typeof options.resume === 'string') folder = options.resume;
  else if (options.resume) {
    const latest = latestRunFolder(original.runsDir, original.name);
    if (!latest) {
      io.stderr(`error: --resume found no earlier run of '${original.name}' in ${original.runsDir}/\n`);
      return EXIT.badInput;
    }
    folder = latest;
  } else {
    folder = claimNewRunFolder(original.runsDir, original.name);
    claimed = true;
  }
  const resumed = resuming ? resumeSpec(folder, original, options.overrides, registry, io.env) : undefined;
  const spec = resumed?.spec ?? original;
  if (resumed?.fileDiffers) {
    io.stderr(`resuming with the run's own settings (${folder}/config.resolved.yaml); ${file} differs from them and is not used\n`);
  }

  let session: PipelineSession;
  try {
    session = await openPipelineSession(spec, registry, folder, io);
  } catch (error) {
    if (claimed) removeIfEmpty(folder);
    throw error;
  }
  const detachProgress = attachProgress(options.progress ?? 'auto', session.events, session.pipeline.stages.length, io);
  const detachResults = new ResultsCsv(folder).attach(session.events);
  try {
    if (options.progress !== 'json') io.stderr(`backend ${session.backend.name} (${session.backend.threads} thread(s)); run folder ${folder}\n`);
    const runner = session.container.resolve(PipelineRunner);
    const runOptions = { resume: resuming, ...(options.signal ? { signal: options.signal } : {}) };
    const result = await runner.run(session.pipeline, runOptions);
    if (options.report !== false) await reportRun(folder, registry, io, options.progress === 'json');
    if (options.progress === 'json') io.stdout(`${JSON.stringify({ type: 'result', status: result.status, folder: result.folder })}\n`);
    else io.stdout(`${result.status}: ${result.folder}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof RunLockedError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  } finally {
    detachResults();
    detachProgress();
  }
}

function attachProgress(mode: ProgressMode, events: EventBus, stageCount: number, io: CliIO): () => void {
  if (mode === 'quiet') return () => undefined;
  if (mode === 'json') return events.subscribe((event) => io.stdout(`${JSON.stringify(event)}\n`));
  if (io.interactive && io.terminal) return new BarProgress(io.terminal).attach(events, stageCount);
  return new PlainProgress(io).attach(events, stageCount);
}

/** A folder this command claimed but never used (the pipeline failed to build) leaves no trace. */
function removeIfEmpty(folder: string): void {
  try {
    if (readdirSync(folder).length === 0) rmSync(folder, { recursive: true });
  } catch {
    // nothing to clean
  }
}

/** The run's report; a report that cannot be written is a warning, never a failed run (its checkpoints are there). */
async function reportRun(folder: string, registry: PluginRegistry, io: CliIO, quietLog: boolean): Promise<void> {
  try {
    const report = await writeRunReport(folder, registry, quietLog ? { ...io, stderr: () => undefined } : io);
    if (!quietLog) io.stderr(`report ${report.file}${report.skipped ? ` (without the evaluation: ${report.skipped})` : ''}\n`);
  } catch (error) {
    io.stderr(`warning: the report could not be written: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
