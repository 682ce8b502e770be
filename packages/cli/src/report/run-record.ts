import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TimedRunEvent } from '@yolo-distill/core';

/** A folder that is not a run, or a run file that cannot be read: the message names the file (and line). */
export class RunReportError extends Error {
  override readonly name = 'RunReportError';
}

export interface StageRecord {
  readonly index: number;
  readonly name: string;
  readonly type: string;
}

/**
 * One loss term at one point of training. `x` is the run-wide epoch: the epochs of the earlier stages,
 * plus this stage's epoch, plus the step's fraction of it (`(step + 1) / steps`; an epoch's end is `epoch + 1`).
 */
export interface LossPoint {
  readonly stage: number;
  readonly epoch: number;
  readonly x: number;
  readonly term: string;
  readonly value: number;
  /** A logged step, or the epoch's mean (`epoch-end`). */
  readonly kind: 'step' | 'epoch';
}

/** A validation figure (`val.<metric>`) at the end of an epoch; `x` as in {@link LossPoint}. */
export interface ValidationPoint {
  readonly stage: number;
  readonly epoch: number;
  readonly x: number;
  readonly metric: string;
  readonly value: number;
}

/** What trainer.Distill measured before distilling (`before.teacher.*`, `before.student.*`, `distill-check-<stage>.json`). */
export interface GuardRailRecord {
  readonly stage: number;
  readonly teacher: Readonly<Record<string, number>>;
  readonly student: Readonly<Record<string, number>>;
  /** From `distill-check-<stage>.json`, when the run wrote it. */
  readonly check?: {
    readonly teacher: string;
    readonly student: string;
    readonly weightsSource: string | null;
    readonly batchDependence: number;
  };
}

export interface CheckpointRecord {
  readonly stage: number;
  readonly label: string;
  readonly path: string;
}

/** Everything the report draws from a run folder's records; `events.jsonl` is the source. */
export interface RunRecord {
  readonly folder: string;
  readonly name: string;
  readonly status: string;
  readonly stages: readonly StageRecord[];
  readonly losses: readonly LossPoint[];
  readonly validation: readonly ValidationPoint[];
  /** `best.<metric>` per stage index. */
  readonly best: ReadonlyMap<number, Readonly<Record<string, number>>>;
  readonly guardRails: readonly GuardRailRecord[];
  /** Stage metrics that are none of the above (data checks, prune and quantize figures), in event order, last value per name. */
  readonly otherMetrics: ReadonlyMap<number, Readonly<Record<string, number>>>;
  readonly checkpoints: readonly CheckpointRecord[];
}

export const EVENTS_FILE = 'events.jsonl';

const METRIC_GROUP = /^(val|best|before\.teacher|before\.student)\.(.+)$/;

/**
 * Reads a run folder's `events.jsonl` (and `run.json`, `distill-check-<stage>.json`). A resumed run
 * repeats the epochs it redoes: the last record of a (stage, epoch, step) wins.
 */
export async function readRunRecord(folder: string): Promise<RunRecord> {
  const file = join(folder, EVENTS_FILE);
  if (!existsSync(file)) throw new RunReportError(`${folder}: not a run folder (no ${EVENTS_FILE})`);
  const events = parseEvents(await readFile(file, 'utf8'), file);

  let name = '';
  let status = 'unknown';
  const stages = new Map<number, StageRecord>();
  const epochsOf = new Map<number, number>();
  // `done`: epochs of the stage completed at that point (fractional for steps); becomes `x` below.
  const losses = new Map<string, Omit<LossPoint, 'x'> & { done: number }>();
  const validation = new Map<string, Omit<ValidationPoint, 'x'> & { done: number }>();
  const best = new Map<number, Record<string, number>>();
  const before = new Map<number, { teacher: Record<string, number>; student: Record<string, number> }>();
  const other = new Map<number, Record<string, number>>();
  const checkpoints = new Map<string, CheckpointRecord>();
  const entry = <T>(map: Map<number, T>, key: number, make: () => T): T => map.get(key) ?? (map.set(key, make()), map.get(key) as T);

  for (const event of events) {
    switch (event.type) {
      case 'run-start':
        name = event.run;
        status = 'running';
        break;
      case 'run-end':
        status = event.status;
        break;
      case 'stage-start':
        stages.set(event.stage, { index: event.stage, name: event.name, type: event.stageType });
        break;
      case 'epoch-start':
        epochsOf.set(event.stage, event.epochs);
        break;
      case 'step':
        for (const [term, value] of Object.entries(event.losses)) {
          losses.set(`${event.stage}/${event.epoch}/${event.step}/${term}`, { stage: event.stage, epoch: event.epoch, done: event.epoch + (event.step + 1) / event.steps, term, value, kind: 'step' });
        }
        break;
      case 'epoch-end':
        epochsOf.set(event.stage, event.epochs);
        for (const [term, value] of Object.entries(event.losses)) {
          losses.set(`${event.stage}/${event.epoch}/end/${term}`, { stage: event.stage, epoch: event.epoch, done: event.epoch + 1, term, value, kind: 'epoch' });
        }
        break;
      case 'metric': {
        const match = METRIC_GROUP.exec(event.name);
        const group = match?.[1];
        const metric = match?.[2] ?? event.name;
        if (group === 'val' && event.epoch !== undefined) {
          validation.set(`${event.stage}/${event.epoch}/${metric}`, { stage: event.stage, epoch: event.epoch, done: event.epoch + 1, metric, value: event.value });
        } else if (group === 'best') entry(best, event.stage, (): Record<string, number> => ({}))[metric] = event.value;
        else if (group === 'before.teacher' || group === 'before.student') {
          entry(before, event.stage, () => ({ teacher: {} as Record<string, number>, student: {} as Record<string, number> }))[group === 'before.teacher' ? 'teacher' : 'student'][metric] = event.value;
        } else entry(other, event.stage, (): Record<string, number> => ({}))[event.name] = event.value;
        break;
      }
      case 'checkpoint':
        checkpoints.set(`${event.stage}/${event.label}`, { stage: event.stage, label: event.label, path: event.path });
        break;
      default:
        break;
    }
  }

  // Run-wide epochs: each stage starts where the stages before it ended.
  const offsets = new Map<number, number>();
  let offset = 0;
  for (const index of [...new Set([...stages.keys(), ...epochsOf.keys()])].sort((a, b) => a - b)) {
    offsets.set(index, offset);
    offset += epochsOf.get(index) ?? 0;
  }
  const at = (stage: number, epoch: number) => (offsets.get(stage) ?? 0) + epoch;

  const guardRails: GuardRailRecord[] = [];
  for (const [stage, values] of [...before].sort(([a], [b]) => a - b)) {
    const check = await readDistillCheck(folder, stage);
    guardRails.push({ stage, ...values, ...(check ? { check } : {}) });
  }
  return {
    folder,
    name: name || (await runJsonName(folder)),
    status: await runJsonStatus(folder, status),
    stages: [...stages.values()].sort((a, b) => a.index - b.index),
    losses: [...losses.values()].map(({ done, ...p }) => ({ ...p, x: at(p.stage, done) })).sort(byX),
    validation: [...validation.values()].map(({ done, ...p }) => ({ ...p, x: at(p.stage, done) })).sort(byX),
    best,
    guardRails,
    otherMetrics: other,
    checkpoints: [...checkpoints.values()],
  };
}

const byX = (a: { x: number; stage: number }, b: { x: number; stage: number }) => a.stage - b.stage || a.x - b.x;

function parseEvents(text: string, file: string): TimedRunEvent[] {
  const events: TimedRunEvent[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (error) {
      // A run killed mid-write leaves a cut last line; anything else is damage.
      if (i === lines.length - 1 || (i === lines.length - 2 && lines[lines.length - 1] === '')) return;
      throw new RunReportError(`${file}:${i + 1}: not a JSON event: ${(error as Error).message}`);
    }
    if (typeof event !== 'object' || event === null || typeof (event as { type?: unknown }).type !== 'string') {
      throw new RunReportError(`${file}:${i + 1}: not an event (an object with a 'type')`);
    }
    events.push(event as TimedRunEvent);
  });
  return events;
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new RunReportError(`${path}: cannot be read as JSON: ${(error as Error).message}`);
  }
}

async function readDistillCheck(folder: string, stage: number): Promise<GuardRailRecord['check']> {
  const json = await readJson(join(folder, `distill-check-${stage}.json`));
  if (!json) return undefined;
  return {
    teacher: String(json['teacher'] ?? ''),
    student: String(json['student'] ?? ''),
    weightsSource: typeof json['weightsSource'] === 'string' ? json['weightsSource'] : null,
    batchDependence: Number(json['batchDependence'] ?? Number.NaN),
  };
}

async function runJsonName(folder: string): Promise<string> {
  const json = await readJson(join(folder, 'run.json'));
  return typeof json?.['name'] === 'string' ? json['name'] : folder;
}

/** `run.json`'s status when it has one (it also knows `interrupted` runs); else what the events say. */
async function runJsonStatus(folder: string, fromEvents: string): Promise<string> {
  const json = await readJson(join(folder, 'run.json'));
  return typeof json?.['status'] === 'string' ? json['status'] : fromEvents;
}
