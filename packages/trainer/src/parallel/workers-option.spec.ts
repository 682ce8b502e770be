import { resolveWorkers } from './workers-option.js';

const base = { batch: 16, cores: 2, backend: 'wasm', launcher: true } as const;

describe('resolveWorkers', () => {
  it('auto: one per core on wasm and cpu, at most one per 4 images, and 1 where more would not help', () => {
    expect(resolveWorkers({ ...base, option: 'auto' })).toEqual({ count: 2, reason: 'workers: auto -> 2 (2 core(s), batch 16, at least 4 images per worker)' });
    expect(resolveWorkers({ ...base, option: 'auto', cores: 8 }).count).toBe(4);
    expect(resolveWorkers({ ...base, option: 'auto', batch: 7 }).count).toBe(1);
    expect(resolveWorkers({ ...base, option: 'auto', backend: 'cpu' }).count).toBe(2);
    expect(resolveWorkers({ ...base, option: 'auto', backend: 'tensorflow' })).toEqual({ count: 1, reason: 'workers: auto -> 1 (the tensorflow backend already uses every core)' });
    expect(resolveWorkers({ ...base, option: 'auto', launcher: false }).count).toBe(1);
    expect(resolveWorkers({ ...base, option: 'auto', otherCoreBusy: 'the teacher runs ahead' })).toEqual({ count: 1, reason: 'workers: auto -> 1 (the teacher runs ahead)' });
  });

  it('a count: taken as given where it can work, refused with the reason where it cannot', () => {
    expect(resolveWorkers({ ...base, option: 1 })).toEqual({ count: 1, reason: 'workers: 1' });
    expect(resolveWorkers({ ...base, option: 3 })).toEqual({ count: 3, reason: 'workers: 3, more than the 2 core(s): they will share them' });
    expect(() => resolveWorkers({ ...base, option: 17 })).toThrow(/workers: 17 is more than the batch of 16/);
    expect(() => resolveWorkers({ ...base, option: 2, launcher: false })).toThrow(/workers: 2 needs worker threads, which this run cannot start/);
    expect(() => resolveWorkers({ ...base, option: 2, otherCoreBusy: 'the teacher is an ONNX graph' })).toThrow(/workers: 2 cannot be used here: the teacher is an ONNX graph; use workers: 1/);
  });
});
