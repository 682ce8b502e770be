import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBus, type RunEvent } from '@yolo-distill/core';
import { useTempDir } from '@yolo-distill/core/testing';
import { ResultsCsv } from './results-csv.js';

const HEADER = 'stage,epoch,time,train/total,train/native.box,lr/pg0,metrics/precision(B),metrics/recall(B),metrics/mAP50(B),metrics/mAP50-95(B)';

function at(seconds: number): string {
  return new Date(Date.UTC(2026, 11, 7, 12, 0, seconds)).toISOString();
}

/** Two epochs of a stage named distill; the second validated. */
const FIRST_ATTEMPT: (RunEvent & { time: string })[] = [
  { type: 'stage-start', stage: 0, name: 'distill', stageType: 'trainer.Distill', time: at(0) },
  { type: 'epoch-start', stage: 0, epoch: 0, epochs: 3, time: at(0) },
  { type: 'step', stage: 0, epoch: 0, step: 0, steps: 2, losses: { total: 3 }, lr: 0.01, time: at(1) },
  { type: 'step', stage: 0, epoch: 0, step: 1, steps: 2, losses: { total: 2 }, lr: 0.009, time: at(2) },
  { type: 'epoch-end', stage: 0, epoch: 0, epochs: 3, losses: { total: 2.5, 'native.box': 0.125 }, time: at(4) },
  { type: 'epoch-start', stage: 0, epoch: 1, epochs: 3, time: at(4) },
  { type: 'step', stage: 0, epoch: 1, step: 0, steps: 2, losses: { total: 2 }, lr: 0.008, time: at(5) },
  { type: 'epoch-end', stage: 0, epoch: 1, epochs: 3, losses: { total: 2, 'native.box': 0.1 }, time: at(10) },
  { type: 'metric', stage: 0, name: 'val.map50', value: 0.5, epoch: 1, time: at(11) },
  { type: 'metric', stage: 0, name: 'val.map', value: 0.25, epoch: 1, time: at(11) },
  { type: 'metric', stage: 0, name: 'val.precision', value: 0.75, epoch: 1, time: at(11) },
  { type: 'metric', stage: 0, name: 'val.recall', value: 0.625, epoch: 1, time: at(11) },
  { type: 'metric', stage: 0, name: 'best.map50', value: 0.5, time: at(11) },
];

describe('ResultsCsv', () => {
  const dir = useTempDir('results-csv');

  it('writes one row per epoch with the epoch means, its last lr, its time and the validation metrics (empty when not validated)', () => {
    const events = new EventBus();
    new ResultsCsv(dir()).attach(events);
    for (const { time: _time, ...event } of FIRST_ATTEMPT) events.emit(event as RunEvent);
    const text = readFileSync(join(dir(), 'results.csv'), 'utf8');
    // `time` comes from the bus's own clock here, so compare the other columns.
    const rows = text.trim().split('\n').map((line) => line.split(','));
    expect(rows[0]?.join(',')).toBe(HEADER);
    expect(rows.slice(1).map((row) => [row[0], row[1], ...row.slice(3)])).toEqual([
      ['distill', '1', '2.5', '0.125', '0.009', '', '', '', ''],
      ['distill', '2', '2', '0.1', '0.008', '0.75', '0.625', '0.5', '0.25'],
    ]);
  });

  it("rebuilds the earlier attempts' rows from events.jsonl on resume, a repeated epoch replacing its first try", () => {
    const again: (RunEvent & { time: string })[] = [
      { type: 'stage-start', stage: 0, name: 'distill', stageType: 'trainer.Distill', time: at(20) },
      // The kill came after epoch 2's losses but before its checkpoint: the epoch runs again.
      { type: 'epoch-start', stage: 0, epoch: 1, epochs: 3, time: at(20) },
      { type: 'epoch-end', stage: 0, epoch: 1, epochs: 3, losses: { total: 1.75, 'native.box': 0.0625 }, time: at(26) },
    ];
    writeFileSync(join(dir(), 'events.jsonl'), `${[...FIRST_ATTEMPT, ...again].map((event) => JSON.stringify(event)).join('\n')}\n{"type":"epo`);
    const csv = new ResultsCsv(dir());
    expect(csv.text()).toBe(`${HEADER}\ndistill,1,4,2.5,0.125,0.009,,,,\ndistill,2,6,1.75,0.0625,,,,,\n`);
    expect(existsSync(join(dir(), 'results.csv'))).toBe(false);
  });
});
