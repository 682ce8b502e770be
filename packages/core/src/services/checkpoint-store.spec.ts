import { existsSync } from 'node:fs';
import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFiles, useTempDir } from '../testing/index.js';
import { FileCheckpointStore, type CheckpointPayload } from './checkpoint-store.js';

const payload = (): CheckpointPayload => ({
  meta: { epoch: 3, step: 120, lr: 1e-4, history: [1.5, 0.25], note: 'ok' },
  tensors: {
    'backbone.0.conv.weight': { shape: [2, 2, 1, 2], dtype: 'float32', data: Float32Array.of(1.5, -2.25, 0, -0, 3.4028234663852886e38, 1e-45, Infinity, Number.NaN) },
    steps: { shape: [3], dtype: 'int32', data: Int32Array.of(-2147483648, 0, 2147483647) },
    scalar: { shape: [], dtype: 'float32', data: Float32Array.of(0.1) },
  },
});

describe('FileCheckpointStore', () => {
  const dir = useTempDir('ckpt');
  const store = () => new FileCheckpointStore(join(dir(), 'checkpoints'));

  it('round-trips float32 and int32 tensors bit for bit, with shapes and meta', async () => {
    const saved = await store().save({ stage: 1, stageName: 'distill', label: 'epoch-3' }, payload());
    const loaded = await store().load(saved);
    expect(loaded.meta).toEqual(payload().meta);
    expect(Object.keys(loaded.tensors)).toEqual(['backbone.0.conv.weight', 'steps', 'scalar']);
    const weight = loaded.tensors['backbone.0.conv.weight'];
    expect(weight?.dtype).toBe('float32');
    expect(weight?.shape).toEqual([2, 2, 1, 2]);
    expect(weight?.data).toBeInstanceOf(Float32Array);
    expect(new Uint8Array((weight?.data as Float32Array).buffer)).toEqual(new Uint8Array(payload().tensors['backbone.0.conv.weight']?.data.buffer as ArrayBuffer));
    expect(Object.is(weight?.data[3], -0)).toBe(true);
    expect(Number.isNaN(weight?.data[7])).toBe(true);
    const steps = loaded.tensors['steps'];
    expect(steps?.data).toBeInstanceOf(Int32Array);
    expect([...(steps?.data ?? [])]).toEqual([-2147483648, 0, 2147483647]);
    expect(loaded.tensors['scalar']?.shape).toEqual([]);
    expect(loaded.tensors['scalar']?.data[0]).toBe(Math.fround(0.1));
  });

  it('lays checkpoints out as <stage>-<name>/<label>/{meta.json,tensors.bin} with latest pointers', async () => {
    const saved = await store().save({ stage: 2, stageName: 'output adapt', label: 'epoch 1/best' }, payload());
    expect(saved).toEqual({ stage: 2, stageName: 'output adapt', label: 'epoch 1/best', path: join(dir(), 'checkpoints', '02-output_adapt', 'epoch_1_best') });
    expect(await listFiles(dir())).toEqual([
      'checkpoints/02-output_adapt/epoch_1_best/meta.json',
      'checkpoints/02-output_adapt/epoch_1_best/tensors.bin',
      'checkpoints/latest-stage-2.json',
      'checkpoints/latest.json',
    ]);
    // 8 float32 + 3 int32 + 1 float32, back to back
    expect((await readFile(join(saved.path, 'tensors.bin'))).byteLength).toBe(48);
    const meta = JSON.parse(await readFile(join(saved.path, 'meta.json'), 'utf8')) as { tensors: { name: string; offset: number; length: number }[] };
    expect(meta.tensors.map(({ name, offset, length }) => [name, offset, length])).toEqual([
      ['backbone.0.conv.weight', 0, 8],
      ['steps', 32, 3],
      ['scalar', 44, 1],
    ]);
  });

  it('saves only the viewed part of a typed array', async () => {
    const buffer = Float32Array.of(9, 9, 1, 2, 3, 9).buffer;
    const view = new Float32Array(buffer, 8, 3);
    const saved = await store().save({ stage: 0, stageName: 's', label: 'l' }, { meta: {}, tensors: { v: { shape: [3], dtype: 'float32', data: view } } });
    expect([...((await store().load(saved)).tensors['v']?.data ?? [])]).toEqual([1, 2, 3]);
    expect((await readFile(join(saved.path, 'tensors.bin'))).byteLength).toBe(12);
  });

  it('saves a checkpoint without tensors', async () => {
    const saved = await store().save({ stage: 0, stageName: 's', label: 'meta-only' }, { meta: { epoch: 0 }, tensors: {} });
    expect(await store().load(saved)).toEqual({ meta: { epoch: 0 }, tensors: {} });
  });

  it('points latest() at the newest save of the run and latest(stage) at the newest of each stage', async () => {
    expect(await store().latest()).toBeUndefined();
    expect(await store().latest(0)).toBeUndefined();
    const a0 = await store().save({ stage: 0, stageName: 'a', label: 'epoch-0' }, payload());
    const a1 = await store().save({ stage: 0, stageName: 'a', label: 'epoch-1' }, payload());
    const b0 = await store().save({ stage: 1, stageName: 'b', label: 'epoch-0' }, payload());
    expect(a0.path).not.toBe(a1.path);
    // a fresh store over the same folder (a resumed run) sees the same pointers
    expect(await store().latest()).toEqual(b0);
    expect(await store().latest(0)).toEqual(a1);
    expect(await store().latest(1)).toEqual(b0);
    expect(await store().latest(2)).toBeUndefined();
  });

  it('writes a save marked not resumable without making it the latest', async () => {
    const last = await store().save({ stage: 0, stageName: 'a', label: 'last' }, payload());
    const best = await store().save({ stage: 0, stageName: 'a', label: 'best' }, payload(), { resumable: false });
    expect(existsSync(join(best.path, 'meta.json'))).toBe(true);
    expect(await store().latest()).toEqual(last);
    expect(await store().latest(0)).toEqual(last);
    expect((await store().load(best)).meta).toEqual((await store().load(last)).meta);
  });

  it('replaces a checkpoint saved again under the same label', async () => {
    const first = await store().save({ stage: 0, stageName: 'a', label: 'last' }, { meta: { epoch: 1 }, tensors: { w: { shape: [1], dtype: 'float32', data: Float32Array.of(1) } } });
    await store().save({ stage: 0, stageName: 'a', label: 'last' }, { meta: { epoch: 2 }, tensors: {} });
    expect(await store().load(first)).toEqual({ meta: { epoch: 2 }, tensors: {} });
  });

  it('leaves no temporary files or folders behind', async () => {
    for (let epoch = 0; epoch < 3; epoch++) await store().save({ stage: 0, stageName: 'a', label: `epoch-${epoch}` }, payload());
    const files = await listFiles(dir());
    expect(files.filter((file) => file.includes('.tmp-'))).toEqual([]);
    expect(files).toHaveLength(3 * 2 + 2);
  });

  it('says which tensor is truncated in tensors.bin', async () => {
    const saved = await store().save({ stage: 0, stageName: 'a', label: 'epoch-0' }, payload());
    await truncate(join(saved.path, 'tensors.bin'), 40);
    await expect(store().load(saved)).rejects.toThrow(`checkpoint ${saved.path}: tensor 'steps' is truncated in tensors.bin`);
  });

  it('says when meta.json or tensors.bin cannot be read', async () => {
    const saved = await store().save({ stage: 0, stageName: 'a', label: 'epoch-0' }, payload());
    await writeFile(join(saved.path, 'meta.json'), '{ not json');
    await expect(store().load(saved)).rejects.toThrow(`checkpoint ${join(saved.path, 'meta.json')} cannot be read: `);
    const other = await store().save({ stage: 0, stageName: 'a', label: 'epoch-1' }, payload());
    await rm(join(other.path, 'tensors.bin'));
    await expect(store().load(other)).rejects.toThrow(`checkpoint ${other.path}: tensors.bin cannot be read: ENOENT`);
  });

  it('says when a latest pointer is corrupt', async () => {
    await store().save({ stage: 0, stageName: 'a', label: 'epoch-0' }, payload());
    const pointer = join(dir(), 'checkpoints', 'latest.json');
    await writeFile(pointer, '{');
    await expect(store().latest()).rejects.toThrow(`checkpoint pointer ${pointer} cannot be read: `);
  });

  it('refuses tensors whose data does not match their dtype or shape, writing nothing', async () => {
    const record = { stage: 0, stageName: 'a', label: 'bad' };
    await expect(store().save(record, { meta: {}, tensors: { w: { shape: [2], dtype: 'int32', data: Float32Array.of(1, 2) } } })).rejects.toThrow(
      "checkpoint a/bad: tensor 'w' has dtype int32 but its data is float32 (Float32Array)",
    );
    await expect(store().save(record, { meta: {}, tensors: { w: { shape: [2, 3], dtype: 'float32', data: Float32Array.of(1, 2) } } })).rejects.toThrow(
      "checkpoint a/bad: tensor 'w' has shape [2, 3] (6 values) but 2 values",
    );
    await expect(store().save(record, { meta: {}, tensors: { w: { shape: [-1], dtype: 'float32', data: Float32Array.of(1) } } })).rejects.toThrow(
      "checkpoint a/bad: tensor 'w' has shape [-1] (-1 values) but 1 values",
    );
    expect(await listFiles(dir())).toEqual([]);
  });
});
