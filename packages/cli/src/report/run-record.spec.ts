import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempDir } from '@yolo-distill/core/testing';
import { readRunRecord } from './run-record.js';

const dir = useTempDir('report-record');

const t = '2026-01-01T00:00:00.000Z';
const line = (event: object) => JSON.stringify({ ...event, time: t });

// A two-stage run by hand: train (2 epochs of 2 steps, validated), then distill (1 epoch of 1 step),
// which was interrupted in its epoch and resumed (the epoch repeated with other numbers), and whose
// last line was cut by the kill.
const EVENTS = [
  { type: 'run-start', run: 'hand', pipeline: 'p.yaml', seed: 1, backend: 'cpu', resumed: false },
  { type: 'stage-start', stage: 0, name: 'train', stageType: 'trainer.Train' },
  { type: 'epoch-start', stage: 0, epoch: 0, epochs: 2 },
  { type: 'step', stage: 0, epoch: 0, step: 0, steps: 2, losses: { total: 4, 'native.box': 1.5 }, lr: 0.01 },
  { type: 'step', stage: 0, epoch: 0, step: 1, steps: 2, losses: { total: 3, 'native.box': 1.25 } },
  { type: 'epoch-end', stage: 0, epoch: 0, epochs: 2, losses: { total: 3.5, 'native.box': 1.375 } },
  { type: 'metric', stage: 0, name: 'val.map50', value: 0.25, epoch: 0 },
  { type: 'metric', stage: 0, name: 'val.map', value: 0.125, epoch: 0 },
  { type: 'epoch-start', stage: 0, epoch: 1, epochs: 2 },
  { type: 'epoch-end', stage: 0, epoch: 1, epochs: 2, losses: { total: 2 } },
  { type: 'metric', stage: 0, name: 'val.map50', value: 0.5, epoch: 1 },
  { type: 'checkpoint', stage: 0, label: 'best', path: '/elsewhere/checkpoints/00-train/best' },
  { type: 'metric', stage: 0, name: 'best.map50', value: 0.5 },
  { type: 'stage-end', stage: 0, name: 'train', seconds: 3 },
  { type: 'stage-start', stage: 1, name: 'distill', stageType: 'trainer.Distill' },
  { type: 'metric', stage: 1, name: 'before.teacher.map50', value: 0.75 },
  { type: 'metric', stage: 1, name: 'before.student.map50', value: 0.5 },
  { type: 'metric', stage: 1, name: 'before.student.map', value: 0.25 },
  { type: 'epoch-start', stage: 1, epoch: 0, epochs: 1 },
  { type: 'step', stage: 1, epoch: 0, step: 0, steps: 1, losses: { total: 9 } },
  { type: 'run-end', status: 'aborted', seconds: 5 },
  { type: 'run-start', run: 'hand', pipeline: 'p.yaml', seed: 1, backend: 'cpu', resumed: true },
  { type: 'stage-start', stage: 1, name: 'distill', stageType: 'trainer.Distill' },
  { type: 'epoch-start', stage: 1, epoch: 0, epochs: 1 },
  { type: 'step', stage: 1, epoch: 0, step: 0, steps: 1, losses: { total: 1.5 } },
  { type: 'metric', stage: 1, name: 'prune.sparsity', value: 0.3 },
  { type: 'metric', stage: 1, name: 'prune.sparsity', value: 0.4 },
  { type: 'run-end', status: 'completed', seconds: 6 },
];

async function writeRun(text: string): Promise<string> {
  await writeFile(join(dir(), 'events.jsonl'), text);
  return dir();
}

describe('readRunRecord', () => {
  it('reads a hand-written events.jsonl: run-wide epochs, last record of a repeated epoch, metric groups', async () => {
    const folder = await writeRun(`${EVENTS.map(line).join('\n')}\n{"type":"step","sta`);
    await writeFile(join(folder, 'distill-check-1.json'), JSON.stringify({ teacher: 'yolov5s', student: 'yolov5n', weightsSource: '/w/teacher.onnx', batchDependence: 2.5e-7 }));
    const record = await readRunRecord(folder);
    expect(record.name).toBe('hand');
    expect(record.status).toBe('completed');
    expect(record.stages).toEqual([
      { index: 0, name: 'train', type: 'trainer.Train' },
      { index: 1, name: 'distill', type: 'trainer.Distill' },
    ]);
    expect(record.losses).toEqual([
      { stage: 0, epoch: 0, x: 0.5, term: 'total', value: 4, kind: 'step' },
      { stage: 0, epoch: 0, x: 0.5, term: 'native.box', value: 1.5, kind: 'step' },
      { stage: 0, epoch: 0, x: 1, term: 'total', value: 3, kind: 'step' },
      { stage: 0, epoch: 0, x: 1, term: 'native.box', value: 1.25, kind: 'step' },
      { stage: 0, epoch: 0, x: 1, term: 'total', value: 3.5, kind: 'epoch' },
      { stage: 0, epoch: 0, x: 1, term: 'native.box', value: 1.375, kind: 'epoch' },
      { stage: 0, epoch: 1, x: 2, term: 'total', value: 2, kind: 'epoch' },
      // The distill stage starts after train's 2 epochs; the resumed step replaced the first one.
      { stage: 1, epoch: 0, x: 3, term: 'total', value: 1.5, kind: 'step' },
    ]);
    expect(record.validation).toEqual([
      { stage: 0, epoch: 0, x: 1, metric: 'map50', value: 0.25 },
      { stage: 0, epoch: 0, x: 1, metric: 'map', value: 0.125 },
      { stage: 0, epoch: 1, x: 2, metric: 'map50', value: 0.5 },
    ]);
    expect([...record.best]).toEqual([[0, { map50: 0.5 }]]);
    expect(record.guardRails).toEqual([
      {
        stage: 1,
        teacher: { map50: 0.75 },
        student: { map50: 0.5, map: 0.25 },
        check: { teacher: 'yolov5s', student: 'yolov5n', weightsSource: '/w/teacher.onnx', batchDependence: 2.5e-7 },
      },
    ]);
    expect([...record.otherMetrics]).toEqual([[1, { 'prune.sparsity': 0.4 }]]);
    expect(record.checkpoints).toEqual([{ stage: 0, label: 'best', path: '/elsewhere/checkpoints/00-train/best' }]);
  });

  it("takes the status from run.json when there is one (it knows 'interrupted' runs)", async () => {
    const folder = await writeRun(`${EVENTS.slice(0, 5).map(line).join('\n')}\n`);
    expect((await readRunRecord(folder)).status).toBe('running');
    await writeFile(join(folder, 'run.json'), JSON.stringify({ name: 'hand', status: 'interrupted' }));
    const record = await readRunRecord(folder);
    expect(record.status).toBe('interrupted');
    expect(record.guardRails).toEqual([]);
    expect(record.validation).toEqual([]);
  });

  it('names the file and line of a damaged event, and a folder that is no run', async () => {
    const folder = await writeRun(`${line(EVENTS[0]!)}\n{oops\n${line(EVENTS[1]!)}\n`);
    await expect(readRunRecord(folder)).rejects.toThrow(`${join(folder, 'events.jsonl')}:2: not a JSON event`);
    await writeRun(`${line(EVENTS[0]!)}\n[1, 2]\n${line(EVENTS[1]!)}\n`);
    await expect(readRunRecord(folder)).rejects.toThrow(`${join(folder, 'events.jsonl')}:2: not an event (an object with a 'type')`);
    await expect(readRunRecord(join(folder, 'nothing'))).rejects.toThrow(`${join(folder, 'nothing')}: not a run folder (no events.jsonl)`);
  });
});
