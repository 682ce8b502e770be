import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OnnxFloatTensor, OnnxSession } from '@yolo-distill/core';
import { OrtSessionFactory } from './ort-session-factory.js';
import { ULTRALYTICS_FIXTURES as fixtures } from '@yolo-distill/core/testing';

const floats = (file: string) => {
  const bytes = readFileSync(join(fixtures, file));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
};
const image = (): OnnxFloatTensor => ({ data: floats('yolov5n.input.bin').slice(), dims: [1, 3, 160, 160] });

/** setImmediate turns the caller's thread gets while `run` is pending. */
async function turnsDuring(run: Promise<unknown>): Promise<number> {
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  await run;
  done = true;
  return turns;
}

describe('OrtSessionFactory with worker: true', () => {
  it.each(['yolov5n', 'yolov8n', 'yolov3-tiny'])('%s: every graph output bit for bit as the session on the caller\'s thread', async (model) => {
    const file = join(fixtures, `${model}.onnx`);
    const inline = await new OrtSessionFactory({ executionProviders: ['cpu'] }).create(file);
    const worker = await new OrtSessionFactory({ executionProviders: ['cpu'], worker: true }).create(file);
    try {
      expect([worker.offThread, inline.offThread]).toEqual([true, undefined]);
      expect([worker.executionProvider, worker.inputNames, worker.outputNames]).toEqual([inline.executionProvider, inline.inputNames, inline.outputNames]);
      const [a, b] = [await inline.run({ images: image() }), await worker.run({ images: image() })];
      expect(Object.keys(b)).toEqual(Object.keys(a));
      for (const name of Object.keys(a)) {
        expect(b[name]?.dims, name).toEqual(a[name]?.dims);
        expect(Buffer.from((b[name] as OnnxFloatTensor).data.buffer).equals(Buffer.from((a[name] as OnnxFloatTensor).data.buffer)), name).toBe(true);
      }
    } finally {
      await Promise.all([inline.release(), worker.release()]);
    }
  });

  it('runs queued runs in order, named outputs only, and leaves the caller\'s thread free meanwhile', async () => {
    const file = join(fixtures, 'yolov5n.onnx');
    const inline = await new OrtSessionFactory({ executionProviders: ['cpu'] }).create(file);
    const worker = await new OrtSessionFactory({ executionProviders: ['cpu'], worker: true }).create(file);
    try {
      const reference = (await inline.run({ images: image() }))['output0'] as OnnxFloatTensor;
      const half: OnnxFloatTensor = { data: image().data.map((v) => v / 2), dims: [1, 3, 160, 160] };
      const halfReference = (await inline.run({ images: half }))['output0'] as OnnxFloatTensor;
      const runs = [worker.run({ images: image() }, ['output0']), worker.run({ images: half }, ['output0'])];
      const [first, second] = await Promise.all(runs);
      expect(Object.keys(first ?? {})).toEqual(['output0']);
      expect([...(first?.['output0']?.data ?? [])]).toEqual([...reference.data]);
      expect([...(second?.['output0']?.data ?? [])]).toEqual([...halfReference.data]);
      // onnxruntime-node's own run holds the thread for the whole forward; the worker's does not.
      const inlineTurns = await turnsDuring(inline.run({ images: image() }));
      // On a loaded machine the OS may not schedule this thread during one short forward: the best of
      // a few runs (the inline run can never exceed a few turns, however often it is tried).
      let workerTurns = 0;
      for (let attempt = 0; attempt < 5 && workerTurns <= 20; attempt++) workerTurns = Math.max(workerTurns, await turnsDuring(worker.run({ images: image() })));
      expect(inlineTurns).toBeLessThanOrEqual(3);
      expect(workerTurns).toBeGreaterThan(20);
    } finally {
      await Promise.all([inline.release(), worker.release()]);
    }
  });

  it('names an unknown input, a file that is not ONNX, and refuses runs after release', async () => {
    const factory = new OrtSessionFactory({ executionProviders: ['cpu'], worker: true });
    const session: OnnxSession = await factory.create(join(fixtures, 'yolov5n.onnx'));
    await expect(session.run({ image: image() })).rejects.toThrow("has no input 'image' (inputs: images)");
    await session.release();
    await expect(session.run({ images: image() })).rejects.toThrow('the session was released');
    const folder = mkdtempSync(join(tmpdir(), 'yd-ort-worker-'));
    try {
      const bogus = join(folder, 'model.onnx');
      writeFileSync(bogus, 'this is not a protobuf');
      await expect(factory.create(bogus)).rejects.toThrow(new RegExp(`^${bogus.replace(/[.]/g, '\\.')} cannot be loaded by onnxruntime \\(cpu: .+\\)`));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('does not keep the process alive when idle (sessions nobody released, one never run)', () => {
    const script = `import { OrtSessionFactory } from './src/onnx/ort-session-factory.ts';
const factory = new OrtSessionFactory({ executionProviders: ['cpu'], worker: true });
const session = await factory.create(${JSON.stringify(join(fixtures, 'yolov5n.onnx'))});
await factory.create(${JSON.stringify(join(fixtures, 'yolov8n.onnx'))});
const out = await session.run({ images: { data: new Float32Array(3 * 160 * 160), dims: [1, 3, 160, 160] } });
console.log(out.output0.dims.join('x'));`;
    const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@yolo-distill/source', '--input-type=module', '-e', script], { cwd: packageRoot, encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).toBe('');
    expect([child.status, child.stdout.trim()]).toEqual([0, '1x1575x85']);
  });
});
