import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEventLines, temporaryNameFor, type EventBus, type RunEvent } from '@yolo-distill/core';

export const RESULTS_CSV = 'results.csv';

const METRIC_COLUMNS: readonly [string, string][] = [
  ['val.precision', 'metrics/precision(B)'],
  ['val.recall', 'metrics/recall(B)'],
  ['val.map50', 'metrics/mAP50(B)'],
  ['val.map', 'metrics/mAP50-95(B)'],
];

interface EpochRow {
  readonly stage: string;
  readonly epoch: number;
  losses: Record<string, number>;
  lr?: number;
  metrics: Record<string, number>;
  started?: number;
  seconds?: number;
}

/**
 * `results.csv` of a run, one row per epoch of every training stage, in Ultralytics' header style:
 * `stage,epoch,time,train/<term>...,lr/pg0,metrics/precision(B),metrics/recall(B),metrics/mAP50(B),metrics/mAP50-95(B)`
 * (losses as the epoch's means; metrics empty on epochs without validation). It is rebuilt from the
 * run's events, the earlier attempts' ones included, so a resumed run's file holds its whole history.
 */
export class ResultsCsv {
  private readonly rows = new Map<string, EpochRow>();
  private readonly stageNames = new Map<number, string>();
  private readonly file: string;

  constructor(folder: string) {
    this.file = join(folder, RESULTS_CSV);
    let earlier = '';
    try {
      earlier = readFileSync(join(folder, 'events.jsonl'), 'utf8');
    } catch {
      // a new run
    }
    for (const event of parseEventLines(earlier)) this.take(event);
  }

  attach(events: EventBus): () => void {
    return events.subscribe((event) => {
      if (this.take(event)) this.write();
    });
  }

  /** Takes one event; returns whether a row changed. */
  private take(event: RunEvent & { time?: string }): boolean {
    const time = event.time ? Date.parse(event.time) : undefined;
    switch (event.type) {
      case 'stage-start':
        this.stageNames.set(event.stage, event.name);
        return false;
      case 'epoch-start': {
        const row = this.row(event.stage, event.epoch);
        row.losses = {};
        row.metrics = {};
        delete row.lr;
        delete row.seconds;
        if (time !== undefined) row.started = time;
        return false;
      }
      case 'step':
        if (event.lr !== undefined) this.row(event.stage, event.epoch).lr = event.lr;
        return false;
      case 'epoch-end': {
        const row = this.row(event.stage, event.epoch);
        row.losses = { ...event.losses };
        if (time !== undefined && row.started !== undefined) row.seconds = (time - row.started) / 1000;
        return true;
      }
      case 'metric': {
        if (event.epoch === undefined || !METRIC_COLUMNS.some(([name]) => name === event.name)) return false;
        this.row(event.stage, event.epoch).metrics[event.name] = event.value;
        return true;
      }
      default:
        return false;
    }
  }

  private row(stage: number, epoch: number): EpochRow {
    const key = `${stage}:${epoch}`;
    let row = this.rows.get(key);
    if (!row) {
      row = { stage: this.stageNames.get(stage) ?? String(stage), epoch, losses: {}, metrics: {} };
      this.rows.set(key, row);
    }
    return row;
  }

  /** The file's text: the header, then the rows in stage and epoch order. */
  text(): string {
    const rows = [...this.rows.entries()]
      .filter(([, row]) => Object.keys(row.losses).length > 0)
      .sort(([a], [b]) => {
        const [sa, ea] = a.split(':').map(Number) as [number, number];
        const [sb, eb] = b.split(':').map(Number) as [number, number];
        return sa - sb || ea - eb;
      })
      .map(([, row]) => row);
    const terms: string[] = [];
    for (const row of rows) for (const term of Object.keys(row.losses)) if (!terms.includes(term)) terms.push(term);
    const header = ['stage', 'epoch', 'time', ...terms.map((term) => `train/${term}`), 'lr/pg0', ...METRIC_COLUMNS.map(([, column]) => column)];
    const number = (value: number | undefined) => (value === undefined ? '' : String(Number(value.toPrecision(8))));
    const lines = rows.map((row) =>
      [csvCell(row.stage), String(row.epoch + 1), number(row.seconds), ...terms.map((term) => number(row.losses[term])), number(row.lr), ...METRIC_COLUMNS.map(([name]) => number(row.metrics[name]))].join(','),
    );
    return `${[header.join(','), ...lines].join('\n')}\n`;
  }

  private write(): void {
    const temporary = temporaryNameFor(this.file);
    writeFileSync(temporary, this.text());
    renameSync(temporary, this.file);
  }
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
