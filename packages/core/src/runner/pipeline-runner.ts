import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { inject, injectable } from 'tsyringe';
import { isCheckpointable } from '../contracts/checkpointable.js';
import type { StageContext } from '../contracts/stage.js';
import type { BuiltPipeline, BuiltStage } from '../pipeline/pipeline-builder.js';
import type { CheckpointPayload, CheckpointStore, SaveOptions, StageCheckpoints } from '../services/checkpoint-store.js';
import type { EventBus } from '../services/event-bus.js';
import type { Logger } from '../services/logger.js';
import type { Rng, RngState } from '../services/rng.js';
import type { RunFolder } from '../services/run-folder.js';
import { BACKEND, CHECKPOINT_STORE, EVENT_BUS, LOGGER, RNG, RUN_FOLDER, RUN_INFO, type BackendHandle, type RunInfo } from '../services/tokens.js';
import { MetricsRecorder, type MetricRecord } from './metrics-recorder.js';
import { acquireRunLock } from './run-lock.js';
import { metricsFromEvents } from './metrics-from-events.js';
import { readRunState, RUN_STATE_FILE, type RunState, type RunStatus } from './run-state.js';

export interface RunOptions {
  /** Continue the run in this folder from its last checkpoint instead of starting fresh. */
  readonly resume?: boolean;
  readonly signal?: AbortSignal;
}

export interface RunResult {
  readonly status: RunStatus;
  readonly folder: string;
  readonly seconds: number;
  readonly ranStages: readonly string[];
  readonly skippedStages: readonly string[];
}

/** The label of the checkpoint the runner writes when a stage finishes (the student as it left the stage). */
export const STAGE_END_LABEL = 'stage-end';

/** Runs the stages of a built pipeline in order, records events, metrics and checkpoints, and resumes. */
@injectable()
export class PipelineRunner {
  constructor(
    @inject(LOGGER) private readonly logger: Logger,
    @inject(EVENT_BUS) private readonly events: EventBus,
    @inject(RNG) private readonly rng: Rng,
    @inject(RUN_FOLDER) private readonly folder: RunFolder,
    @inject(CHECKPOINT_STORE) private readonly checkpoints: CheckpointStore,
    @inject(RUN_INFO) private readonly info: RunInfo,
    @inject(BACKEND) private readonly backend: BackendHandle,
  ) {}

  async run(pipeline: BuiltPipeline, options: RunOptions = {}): Promise<RunResult> {
    const started = Date.now();
    if (options.resume && !existsSync(this.folder.path(RUN_STATE_FILE))) throw new Error(`nothing to resume in ${this.folder.root}: ${RUN_STATE_FILE} not found`);
    const lock = acquireRunLock(this.folder.root, process.argv.slice(1).join(' '));
    try {
      if (lock.replaced) this.logger.info(`the run was interrupted: process ${lock.replaced.pid} (started ${lock.replaced.startedAt}) is gone; continuing from its last checkpoint`);
      return await this.runLocked(pipeline, options, started);
    } finally {
      lock.release();
    }
  }

  private async runLocked(pipeline: BuiltPipeline, options: RunOptions, started: number): Promise<RunResult> {
    const state = options.resume ? await this.stateToResume(pipeline) : this.freshState(pipeline);
    const previousMetrics = options.resume ? await this.readPreviousMetrics() : undefined;
    if (options.resume) await this.removeUnfinishedWrites();
    if (!options.resume) await this.folder.writeText('config.resolved.yaml', pipeline.spec.resolvedText);

    const stopLogging = this.events.subscribe((event) => this.folder.appendLine('events.jsonl', JSON.stringify(event)));
    const metrics = new MetricsRecorder(this.events, pipeline.stages.map((stage) => stage.name), previousMetrics);
    const ran: string[] = [];
    const skipped: string[] = [];
    state.status = 'running';
    delete state.error;
    await this.saveState(state);
    this.events.emit({
      type: 'run-start',
      run: this.info.name,
      pipeline: this.info.pipelineFile,
      seed: this.info.seed,
      backend: this.backend.name,
      resumed: options.resume === true,
    });

    try {
      if (options.resume) {
        await this.markStagesThatSavedTheirEnd(state);
        await this.restoreStudent(pipeline, state);
      }
      for (const [index, stage] of pipeline.stages.entries()) {
        options.signal?.throwIfAborted();
        const record = state.stages[index];
        if (!record) throw new Error(`run state has no entry for stage ${index}`);
        if (record.status === 'done') {
          this.events.emit({ type: 'stage-skip', stage: index, name: stage.name, reason: 'finished before resume' });
          skipped.push(stage.name);
          continue;
        }
        const stageStarted = Date.now();
        record.status = 'running';
        await this.saveState(state);
        this.events.emit({ type: 'stage-start', stage: index, name: stage.name, stageType: stage.type });
        await this.runStage(pipeline, stage, index, options);
        record.status = 'done';
        record.seconds = (Date.now() - stageStarted) / 1000;
        await this.saveState(state);
        await this.folder.writeJson('metrics.json', metrics);
        this.events.emit({ type: 'stage-end', stage: index, name: stage.name, seconds: record.seconds });
        ran.push(stage.name);
      }
      return await this.finish(state, metrics, 'completed', started, ran, skipped);
    } catch (error) {
      const aborted = options.signal?.aborted === true;
      const message = error instanceof Error ? error.message : String(error);
      state.error = message;
      const failedStage = state.stages.find((stage) => stage.status === 'running');
      if (failedStage && !aborted) failedStage.status = 'failed';
      await this.finish(state, metrics, aborted ? 'aborted' : 'failed', started, ran, skipped, message);
      throw error;
    } finally {
      metrics.dispose();
      stopLogging();
    }
  }

  private async runStage(pipeline: BuiltPipeline, stage: BuiltStage, index: number, options: RunOptions): Promise<void> {
    const stageRng = this.rng.fork(`stage:${index}:${stage.name}`);
    const resumeFrom = options.resume ? await this.loadStageCheckpoint(index) : undefined;
    const rngState = resumeFrom?.meta['rng'];
    if (Array.isArray(rngState) && rngState.length === 4) stageRng.restore(rngState as unknown as RngState);
    if (resumeFrom) this.logger.info(`resuming stage ${stage.name} from its last checkpoint`);

    const checkpoints: StageCheckpoints = {
      resumeFrom,
      save: async (label: string, payload: CheckpointPayload, saveOptions?: SaveOptions) => {
        const saved = await this.checkpoints.save(
          { stage: index, stageName: stage.name, label },
          { meta: { ...payload.meta, rng: stageRng.state() }, tensors: payload.tensors },
          saveOptions,
        );
        this.events.emit({ type: 'checkpoint', stage: index, label, path: saved.path });
      },
    };
    const context: StageContext = {
      index,
      models: pipeline.models,
      rng: stageRng,
      events: this.events,
      logger: this.logger,
      folder: this.folder,
      checkpoints,
      signal: options.signal ?? new AbortController().signal,
    };
    await stage.stage.run(context);

    const student = pipeline.models.student;
    if (isCheckpointable(student)) {
      const payload = await student.saveState();
      await this.checkpoints.save(
        { stage: index, stageName: stage.name, label: STAGE_END_LABEL },
        { meta: { ...payload.meta, stageComplete: true }, tensors: payload.tensors },
      );
    }
  }

  /** The stage's newest checkpoint, unless it is the stage-end one (then the stage is finished already). */
  private async loadStageCheckpoint(index: number): Promise<CheckpointPayload | undefined> {
    const record = await this.checkpoints.latest(index);
    if (!record || record.label === STAGE_END_LABEL) return undefined;
    return this.checkpoints.load(record);
  }

  /** A stage whose stage-end checkpoint exists finished, even if the run died before `run.json` said so. */
  private async markStagesThatSavedTheirEnd(state: RunState): Promise<void> {
    for (const [index, stage] of state.stages.entries()) {
      if (stage.status === 'done') continue;
      const record = await this.checkpoints.latest(index);
      if (record?.label === STAGE_END_LABEL) stage.status = 'done';
    }
  }

  /** On resume, the student continues as the last finished stage left it. */
  private async restoreStudent(pipeline: BuiltPipeline, state: RunState): Promise<void> {
    const student = pipeline.models.student;
    if (!isCheckpointable(student)) return;
    const lastDone = state.stages.map((stage) => stage.status).lastIndexOf('done');
    if (lastDone < 0) return;
    const record = await this.checkpoints.latest(lastDone);
    if (!record || record.label !== STAGE_END_LABEL) {
      throw new Error(`cannot resume: stage '${state.stages[lastDone]?.name}' is marked done but its stage-end checkpoint is missing in ${this.folder.root}`);
    }
    const payload = await this.checkpoints.load(record);
    // A stage that replaced the student with a differently shaped one (pruning) left its shapes in the checkpoint.
    const shaped = pipeline.models.student?.shapedFor?.(payload);
    if (shaped && shaped !== pipeline.models.student) {
      pipeline.models.student?.dispose();
      pipeline.models.student = shaped;
    }
    await (shaped ?? student).loadState(payload);
    this.logger.info(`restored the student from the end of stage ${state.stages[lastDone]?.name}`);
  }

  private freshState(pipeline: BuiltPipeline): RunState {
    const now = new Date().toISOString();
    return {
      version: 1,
      name: this.info.name,
      pipeline: this.info.pipelineFile,
      seed: this.info.seed,
      backend: this.backend.describe(),
      status: 'running',
      startedAt: now,
      updatedAt: now,
      stages: pipeline.stages.map((stage) => ({ name: stage.name, type: stage.type, status: 'pending' })),
    };
  }

  private async stateToResume(pipeline: BuiltPipeline): Promise<RunState> {
    const state = await readRunState(this.folder);
    if (!state) throw new Error(`nothing to resume in ${this.folder.root}: ${RUN_STATE_FILE} not found`);
    const planned = pipeline.stages.map((stage) => `${stage.name}:${stage.type}`).join(', ');
    const recorded = state.stages.map((stage) => `${stage.name}:${stage.type}`).join(', ');
    if (planned !== recorded) {
      throw new Error(`cannot resume ${this.folder.root}: its stages were [${recorded}], the pipeline now has [${planned}]`);
    }
    if (state.status === 'completed') this.logger.info(`run ${this.folder.root} already completed; nothing to resume`);
    state.backend = this.backend.describe();
    return state;
  }

  /** The metric history of earlier attempts, from `events.jsonl` (appended line by line, so it survives a kill that `metrics.json` would not). */
  private async readPreviousMetrics(): Promise<{ history?: MetricRecord[] } | undefined> {
    let text: string;
    try {
      text = await readFile(this.folder.path('events.jsonl'), 'utf8');
    } catch {
      return undefined;
    }
    return { history: metricsFromEvents(text) };
  }

  /** Temporary files and folders of writes a killed process did not finish (`<name>.tmp-<pid>-<hex>`); this process holds the lock, so none is in progress. */
  private async removeUnfinishedWrites(directory = this.folder.root): Promise<void> {
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(directory, entry.name);
      if (/\.tmp-\d+-[0-9a-f]+$/.test(entry.name)) {
        await rm(path, { recursive: true, force: true });
        this.logger.info(`removed ${path}, left by an unfinished write`);
      } else if (entry.isDirectory()) await this.removeUnfinishedWrites(path);
    }
  }

  private async saveState(state: RunState): Promise<void> {
    state.updatedAt = new Date().toISOString();
    await this.folder.writeJson(RUN_STATE_FILE, state);
  }

  private async finish(
    state: RunState,
    metrics: MetricsRecorder,
    status: Exclude<RunStatus, 'running' | 'interrupted'>,
    started: number,
    ran: string[],
    skipped: string[],
    error?: string,
  ): Promise<RunResult> {
    const seconds = (Date.now() - started) / 1000;
    state.status = status;
    await this.saveState(state);
    await this.folder.writeJson('metrics.json', metrics);
    this.events.emit(error === undefined ? { type: 'run-end', status, seconds } : { type: 'run-end', status, seconds, error });
    return { status, folder: this.folder.root, seconds, ranStages: ran, skippedStages: skipped };
  }
}
