import { statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ULTRALYTICS_FIXTURES, useTempDir } from '@yolo-distill/core/testing';
import { modelRows } from './model-table.js';
import type { RunRecord } from './run-record.js';

const dir = useTempDir('report-models');

/** A checkpoint folder: meta.json's tensor list and a tensors.bin of `bytes` bytes. */
async function checkpoint(path: string, tensors: { name: string; length: number }[], bytes: number): Promise<string> {
  await mkdir(path, { recursive: true });
  await writeFile(join(path, 'meta.json'), JSON.stringify({ meta: {}, tensors }));
  await writeFile(join(path, 'tensors.bin'), Buffer.alloc(bytes));
  return path;
}

const conv = [
  { name: 'model.0.conv.weight', length: 432 },
  { name: 'model.0.bn.weight', length: 16 },
  { name: 'model.0.bn.bias', length: 16 },
  { name: 'model.0.bn.running_mean', length: 16 },
  { name: 'model.0.bn.running_var', length: 16 },
];

function record(folder: string, parts: Partial<RunRecord>): RunRecord {
  return { folder, name: 'r', status: 'completed', stages: [], losses: [], validation: [], best: new Map(), guardRails: [], otherMetrics: new Map(), checkpoints: [], ...parts };
}

describe('modelRows', () => {
  it('teacher and student before distilling from the guard rails, then each stage: best mAP, parameters without BN running statistics, tensors.bin bytes', async () => {
    const teacher = await checkpoint(join(dir(), 'teacher'), [...conv, { name: 'model.1.conv.weight', length: 1000 }], 6000);
    // The run folder was moved: the event names the old place, the checkpoint is at the same place under the run.
    const distilled = await checkpoint(join(dir(), 'checkpoints', '01-distill', 'stage-end'), conv, 2000);
    const trained = await checkpoint(join(dir(), 'checkpoints', '00-train', 'best'), conv.slice(0, 3), 1860);
    const rows = await modelRows(
      record(dir(), {
        stages: [
          { index: 0, name: 'train', type: 'trainer.Train' },
          { index: 1, name: 'distill', type: 'trainer.Distill' },
          { index: 2, name: 'check', type: 'data.Check' },
        ],
        validation: [
          { stage: 1, epoch: 0, x: 2, metric: 'map50', value: 0.5 },
          { stage: 1, epoch: 1, x: 3, metric: 'map50', value: 0.625 },
          { stage: 1, epoch: 1, x: 3, metric: 'map', value: 0.25 },
        ],
        best: new Map([[0, { map50: 0.375, map: 0.125, fitness: 0.15 }]]),
        guardRails: [{ stage: 1, teacher: { map50: 0.875, map: 0.5 }, student: { map50: 0.375, map: 0.125 }, check: { teacher: 'yolov5s', student: 'yolov5n', weightsSource: teacher, batchDependence: 0 } }],
        checkpoints: [
          { stage: 0, label: 'last', path: join(dir(), 'checkpoints', '00-train', 'last') },
          { stage: 0, label: 'best', path: trained },
          { stage: 1, label: 'stage-end', path: '/moved/away/checkpoints/01-distill/stage-end' },
        ],
      }),
    );
    expect(rows).toEqual([
      { model: 'teacher yolov5s', map50: 0.875, map: 0.5, parameters: 432 + 32 + 1000, bytes: 6000, source: teacher },
      { model: 'student yolov5n before distilling', map50: 0.375, map: 0.125, parameters: 464, bytes: 2000, source: distilled },
      { model: 'student after train (trainer.Train)', map50: 0.375, map: 0.125, parameters: 464, bytes: 1860, source: trained },
      // No best.* for the distill stage: its last validation.
      { model: 'student after distill (trainer.Distill)', map50: 0.625, map: 0.25, parameters: 464, bytes: 2000, source: distilled },
    ]);
  });

  it('a run without a teacher has stage rows only; a fresh teacher has no size', async () => {
    const stages = [{ index: 0, name: 'train', type: 'trainer.Train' }];
    expect(await modelRows(record(dir(), { stages, best: new Map([[0, { map50: 0.5 }]]) }))).toEqual([{ model: 'student after train (trainer.Train)', map50: 0.5 }]);
    const fresh = await modelRows(record(dir(), { guardRails: [{ stage: 0, teacher: { map50: 0 }, student: { map50: 0 }, check: { teacher: 'yolov5n', student: 'yolov5n', weightsSource: null, batchDependence: 0 } }] }));
    expect(fresh[0]).toEqual({ model: 'teacher yolov5n (freshly initialised)', map50: 0 });
  });
});

describe('modelRows with an ONNX teacher', () => {
  it("counts the teacher file's float initializers: Ultralytics' fused YOLOv5n export has the 1867405 parameters it prints", async () => {
    const onnx = `${ULTRALYTICS_FIXTURES}yolov5n.onnx`;
    const rail = { stage: 0, teacher: { map50: 0.5 }, student: {}, check: { teacher: 'onnx:yolov5n', student: 'yolov5n', weightsSource: onnx, batchDependence: 0 } };
    const rows = await modelRows(record(dir(), { guardRails: [rail] }));
    expect(rows[0]).toEqual({ model: 'teacher onnx:yolov5n', map50: 0.5, parameters: 1867405, bytes: statSync(onnx).size, source: onnx });
  });
});
