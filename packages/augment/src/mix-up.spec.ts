import { SeededRng } from '@yolo-distill/core';
import { MixUp, mixUpAugmentation } from './mix-up.js';
import { ScriptedRng } from './test-support/scripted-rng.js';
import { contextWith, expectRows, parseYaml, pixel, rows, solidSample } from './test-support/samples.js';

describe('augment.MixUp', () => {
  const a = solidSample(3, 2, [1, 1, 1], [[0, 0.5, 0.5, 0.2, 0.2]], 'a.jpg');
  const b = solidSample(3, 2, [0, 0.5, 0], [[1, 0.1, 0.2, 0.1, 0.1], [2, 0.8, 0.8, 0.2, 0.2]], 'b.jpg');

  it('blends r·sample + (1 - r)·other and keeps the labels of both, the sample first', async () => {
    const out = await new MixUp().apply(a, contextWith(new ScriptedRng([0.25]), [b]));
    pixel(out, 2, 1).forEach((v, i) => expect(v).toBeCloseTo([0.25, 0.25 + 0.75 * 0.5, 0.25][i]!, 6));
    expectRows(rows(out), [...rows(a), ...rows(b)]);
    expect(out.source).toBe('a.jpg');
  });

  it('draws the ratio from Beta(alpha, alpha), Beta(32, 32) by default', async () => {
    const rng = new SeededRng(0);
    const beta = vi.spyOn(rng, 'beta');
    await new MixUp().apply(a, contextWith(rng, [b]));
    await new MixUp({ p: 1, alpha: 8 }).apply(a, contextWith(rng, [b]));
    expect(beta.mock.calls).toEqual([
      [32, 32],
      [8, 8],
    ]);
  });

  it('gives the same blend for the same seed and another for another seed', async () => {
    const run = async (seed: number) => (await new MixUp().apply(a, contextWith(new SeededRng(seed), [b]))).image.data[0]!;
    expect(await run(4)).toBe(await run(4));
    expect(await run(4)).not.toBe(await run(5));
    // Beta(32, 32) has mean 0.5 and standard deviation 0.062.
    expect(await run(4)).toBeGreaterThan(0.25);
    expect(await run(4)).toBeLessThan(0.75);
  });

  it('refuses a partner of another size, naming both', async () => {
    const small = solidSample(2, 2, [0, 0, 0], [], 'small.jpg');
    await expect(new MixUp().apply(a, contextWith(new ScriptedRng([0.5]), [small]))).rejects.toThrow('augment.MixUp: a.jpg is 3x2 but small.jpg is 2x2');
  });

  it('parses with p 0.1 and alpha 32 by default', () => {
    expect(parseYaml(mixUpAugmentation, '')).toEqual({ p: 0.1, alpha: 32 });
    expect(() => parseYaml(mixUpAugmentation, 'alpha: 0\n')).toThrow(/alpha: expected a number > 0/);
  });
});
