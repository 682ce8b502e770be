import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { readOnnxModel } from '@yolo-distill/yolo';
import type { CheckpointRecord, RunRecord } from './run-record.js';

/** One line of the before/after table; a figure the run did not record is absent. */
export interface ModelRow {
  readonly model: string;
  readonly map50?: number;
  readonly map?: number;
  /** Weights and biases (BatchNorm running statistics left out). */
  readonly parameters?: number;
  /** Bytes of the weights on disk: a checkpoint's tensors.bin (float32) or the ONNX file. */
  readonly bytes?: number;
  /** Where the parameters and size were read. */
  readonly source?: string;
}

interface WeightsSize {
  readonly parameters: number;
  readonly bytes: number;
  readonly source: string;
}

const RUNNING_STATISTIC = /(running_mean|running_var|num_batches_tracked)$/;
/** The checkpoints that hold a bare model (a stage's `last` also holds the optimizer and EMA). */
const MODEL_CHECKPOINTS = ['stage-end', 'best'];

/**
 * Teacher, student before distilling (both from trainer.Distill's guard-rail metrics) and the student
 * after each stage that trained or changed it: mAP@0.5 and mAP@0.5:0.95 (the stage's `best.*`, else its
 * last validation), parameters and size from the stage's model checkpoint.
 */
export async function modelRows(record: RunRecord): Promise<ModelRow[]> {
  const rows: ModelRow[] = [];
  const rail = record.guardRails[0];
  if (rail) {
    const source = rail.check?.weightsSource;
    const teacherSize = source ? await weightsSize(source) : undefined;
    rows.push({
      model: `teacher${rail.check ? ` ${rail.check.teacher}` : ''}${source === null ? ' (freshly initialised)' : ''}`,
      ...figures(rail.teacher),
      ...(teacherSize ?? {}),
    });
    const studentSize = await stageWeights(record, rail.stage);
    rows.push({ model: `student${rail.check ? ` ${rail.check.student}` : ''} before distilling`, ...figures(rail.student), ...(studentSize ?? {}) });
  }
  for (const stage of record.stages) {
    const best = record.best.get(stage.index);
    const validated = record.validation.filter((p) => p.stage === stage.index);
    const last = Object.fromEntries(validated.map((p) => [p.metric, p.value]));
    const size = await stageWeights(record, stage.index);
    const values = best && best['map50'] !== undefined ? best : last;
    if (!size && values['map50'] === undefined) continue;
    rows.push({ model: `student after ${stage.name} (${stage.type})`, ...figures(values), ...(size ?? {}) });
  }
  return rows;
}

const figures = (values: Readonly<Record<string, number>>) => ({
  ...(values['map50'] !== undefined ? { map50: values['map50'] } : {}),
  ...(values['map'] !== undefined ? { map: values['map'] } : {}),
});

async function stageWeights(record: RunRecord, stage: number): Promise<WeightsSize | undefined> {
  for (const label of MODEL_CHECKPOINTS) {
    const checkpoint = record.checkpoints.find((c) => c.stage === stage && c.label === label);
    const path = checkpoint && locate(record.folder, checkpoint);
    if (path) return checkpointSize(path);
  }
  return undefined;
}

/** A checkpoint where the event says, or at the same place under a run folder that was moved. */
function locate(folder: string, checkpoint: CheckpointRecord): string | undefined {
  const candidates = [checkpoint.path, join(folder, 'checkpoints', ...checkpoint.path.split(/[\\/]/).slice(-2))];
  return candidates.find((path) => existsSync(join(path, 'meta.json')) && existsSync(join(path, 'tensors.bin')));
}

/** Parameters and bytes of a checkpoint folder or an ONNX file (undefined when `source` is neither). */
export async function weightsSize(source: string): Promise<WeightsSize | undefined> {
  if (existsSync(join(source, 'meta.json'))) return checkpointSize(source);
  if (extname(source).toLowerCase() === '.onnx' && existsSync(source)) {
    const file = await readOnnxModel(source);
    let parameters = 0;
    // Float and integer initializers alike: an INT8 model keeps its weights as int8 tensors.
    for (const tensor of file.initializers().values()) parameters += tensor.data.length;
    for (const tensor of file.intInitializers().values()) parameters += tensor.data.length;
    return { parameters, bytes: (await stat(source)).size, source };
  }
  return undefined;
}

async function checkpointSize(path: string): Promise<WeightsSize> {
  const meta = JSON.parse(await readFile(join(path, 'meta.json'), 'utf8')) as { tensors?: { name: string; length: number }[] };
  const parameters = (meta.tensors ?? []).filter((t) => !RUNNING_STATISTIC.test(t.name)).reduce((sum, t) => sum + t.length, 0);
  return { parameters, bytes: (await stat(join(path, 'tensors.bin'))).size, source: path };
}
