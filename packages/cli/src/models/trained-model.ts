import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { container as rootContainer } from 'tsyringe';
import { OrtSessionFactory, selectBackend } from '@yolo-distill/backend';
import { createRunContainer, parsePipeline, PIPELINE_DATA, StreamLogger, type DatasetSource, type DetectionModel, type PluginRegistry } from '@yolo-distill/core';
import type { CliIO } from '../cli-io.js';

/** A path that is neither a checkpoint nor a run folder, or a run whose files are missing: exit code 2. */
export class TrainedModelError extends Error {
  override readonly name = 'TrainedModelError';
}

/** The resolved pipeline a run folder keeps (`run` writes it before the first stage). */
export const RUN_CONFIG_FILE = 'config.resolved.yaml';

/** A trained student rebuilt from its run: the model with the checkpoint's weights, and the run's data. */
export interface TrainedModel {
  readonly model: DetectionModel;
  readonly data: DatasetSource;
  readonly pipelineName: string;
  readonly runFolder: string;
  /** The checkpoint folder the weights came from. */
  readonly checkpoint: string;
  /** sha256 of its `tensors.bin`. */
  readonly checkpointSha256: string;
  readonly backend: string;
  dispose(): void;
}

const isCheckpointFolder = (path: string) => existsSync(join(path, 'meta.json')) && existsSync(join(path, 'tensors.bin'));

/** The run folder holding `checkpoint` (the nearest parent with `config.resolved.yaml`). */
function runFolderOf(checkpoint: string): string | undefined {
  for (let folder = dirname(checkpoint); folder !== dirname(folder); folder = dirname(folder)) {
    if (existsSync(join(folder, RUN_CONFIG_FILE))) return folder;
  }
  return undefined;
}

/** The checkpoint a run folder's `checkpoints/latest.json` points at (the last stage-end of a finished run). */
async function latestCheckpoint(run: string): Promise<string> {
  const pointer = join(run, 'checkpoints', 'latest.json');
  let record: { path?: unknown };
  try {
    record = JSON.parse(await readFile(pointer, 'utf8')) as { path?: unknown };
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no checkpoint was saved (checkpoints/latest.json is missing)' : `checkpoints/latest.json cannot be read: ${(error as Error).message}`;
    throw new TrainedModelError(`${run}: ${why}`);
  }
  if (typeof record.path !== 'string') throw new TrainedModelError(`${pointer}: no 'path' of a checkpoint`);
  const path = resolve(run, record.path);
  // A run folder moved after training: its pointer names the old place; the same relative place under the run is used.
  if (isCheckpointFolder(path)) return path;
  const moved = join(run, 'checkpoints', ...record.path.split(/[\\/]/).slice(-2));
  if (isCheckpointFolder(moved)) return moved;
  throw new TrainedModelError(`${pointer}: points at ${record.path}, which is not a checkpoint folder (meta.json + tensors.bin)`);
}

/** Where a path's weights are: a checkpoint folder, or the latest checkpoint of a run folder. */
export async function locateCheckpoint(path: string): Promise<{ readonly checkpoint: string; readonly run: string }> {
  const absolute = resolve(path);
  let info;
  try {
    info = await stat(absolute);
  } catch {
    throw new TrainedModelError(`${path}: not found (expected a checkpoint folder or a run folder)`);
  }
  if (!info.isDirectory()) throw new TrainedModelError(`${path}: not a folder (expected a checkpoint folder with meta.json + tensors.bin, or a run folder with ${RUN_CONFIG_FILE})`);
  if (isCheckpointFolder(absolute)) {
    const run = runFolderOf(absolute);
    if (!run) throw new TrainedModelError(`${path}: a checkpoint folder outside a run folder (no ${RUN_CONFIG_FILE} above it), so the model it belongs to is unknown`);
    return { checkpoint: absolute, run };
  }
  if (existsSync(join(absolute, RUN_CONFIG_FILE))) return { checkpoint: await latestCheckpoint(absolute), run: absolute };
  throw new TrainedModelError(`${path}: neither a checkpoint folder (meta.json + tensors.bin) nor a run folder (${RUN_CONFIG_FILE})`);
}

/** A YAML flow value (JSON is YAML): safe for any path. */
const yamlValue = (value: unknown): string => JSON.stringify(value);

/**
 * Rebuilds the student of a run with a checkpoint's weights: the run's resolved pipeline with
 * `student.weights` set to the checkpoint (and `student.anchors` to the anchors it was saved with, so
 * an `anchors: refit` is not refitted again), its data and student built through the same plugins.
 * The teacher and the stages are not built.
 */
export async function openTrainedModel(path: string, registry: PluginRegistry, io: CliIO): Promise<TrainedModel> {
  const { checkpoint, run } = await locateCheckpoint(path);
  const configFile = join(run, RUN_CONFIG_FILE);
  const text = await readFile(configFile, 'utf8');
  const meta = JSON.parse(await readFile(join(checkpoint, 'meta.json'), 'utf8')) as { meta?: { anchors?: unknown } };
  const anchors = meta.meta?.anchors;
  const flat = Array.isArray(anchors) ? anchors.map((level: unknown) => (Array.isArray(level) ? level.flat() : level)) : undefined;
  const overrides = [`student.weights=${yamlValue(checkpoint)}`, ...(flat ? [`student.anchors=${yamlValue(flat)}`] : [])];
  const spec = parsePipeline(text, configFile, registry, { overrides, env: io.env });
  if (!spec.student) throw new TrainedModelError(`${configFile}: the run has no student`);
  if (!spec.data) throw new TrainedModelError(`${configFile}: the run has no data (needed for class names and the parity images)`);
  const backend = await selectBackend(spec.backend);
  const container = createRunContainer(rootContainer, {
    info: { name: spec.name, seed: spec.seed, pipelineFile: configFile },
    folder: run,
    logger: new StreamLogger(io.stderr),
    backend,
    onnxSessions: new OrtSessionFactory(),
  });
  const data = await registry.build(spec.data, container);
  container.registerInstance(PIPELINE_DATA, data);
  const model = await registry.build(spec.student, container);
  const checkpointSha256 = createHash('sha256').update(await readFile(join(checkpoint, 'tensors.bin'))).digest('hex');
  return { model, data, pipelineName: spec.name, runFolder: run, checkpoint, checkpointSha256, backend: backend.name, dispose: () => model.dispose() };
}
