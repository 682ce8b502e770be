import { SeededRng, type RngState } from './rng.js';

/** xoshiro128** written a second way, in BigInt, straight from Blackman & Vigna's C code. */
function referenceXoshiro128StarStar(seedState: readonly number[], count: number): number[] {
  const mask = 0xffffffffn;
  const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & mask;
  const s = seedState.map((word) => BigInt(word) & mask);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const [s0, s1, s2, s3] = s as [bigint, bigint, bigint, bigint];
    out.push(Number((rotl((s1 * 5n) & mask, 7n) * 9n) & mask));
    const t = (s1 << 9n) & mask;
    let n2 = s2 ^ s0;
    let n3 = s3 ^ s1;
    const n1 = s1 ^ n2;
    const n0 = s0 ^ n3;
    n2 ^= t;
    n3 = rotl(n3, 11n);
    s.splice(0, 4, n0, n1, n2, n3);
  }
  return out;
}

/** SplitMix32 (golden-ratio increment + murmur3 finaliser), in BigInt, for the seed expansion. */
function referenceSeedState(seed: number): number[] {
  const mask = 0xffffffffn;
  let x = BigInt(seed >>> 0);
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9n) & mask;
    let z = x;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & mask;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & mask;
    words.push(Number(z ^ (z >> 16n)));
  }
  return words;
}

const draw = (rng: { nextUint32(): number }, count: number): number[] => Array.from({ length: count }, () => rng.nextUint32());

function meanAndVariance(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

describe('SeededRng', () => {
  describe('xoshiro128** core', () => {
    it('produces the hand-derived outputs for state [1, 2, 3, 4]', () => {
      const rng = new SeededRng(0, [1, 2, 3, 4]);
      // 1: rotl(2 * 5, 7) * 9 = 1280 * 9; state becomes [7, 0, 1026, 12288]
      expect(rng.nextUint32()).toBe(11520);
      expect(rng.state()).toEqual([7, 0, 1026, 12288]);
      // 2: s1 = 0 -> 0; state becomes [12295, 1029, 1029, rotl(12288, 11) = 25165824]
      expect(rng.nextUint32()).toBe(0);
      expect(rng.state()).toEqual([12295, 1029, 1029, 25165824]);
      // 3: rotl(1029 * 5, 7) * 9 = 5145 * 128 * 9
      expect(rng.nextUint32()).toBe(5927040);
    });

    it('matches a BigInt implementation for 1000 outputs from several states', () => {
      const states: RngState[] = [
        [1, 2, 3, 4],
        [0xffffffff, 0x80000000, 0x7fffffff, 1],
        [0xdeadbeef, 0xcafebabe, 0x12345678, 0x9abcdef0],
      ];
      for (const state of states) {
        expect(draw(new SeededRng(0, state), 1000)).toEqual(referenceXoshiro128StarStar(state, 1000));
      }
    });

    it('expands a seed with SplitMix32 into the starting state', () => {
      for (const seed of [0, 1, 42, 0xffffffff]) {
        const expected = referenceSeedState(seed);
        expect(new SeededRng(seed).state()).toEqual(expected);
        expect(draw(new SeededRng(seed), 50)).toEqual(referenceXoshiro128StarStar(expected, 50));
      }
      // Pinned: a change of the seeding would change every run's numbers for the same seed.
      expect(new SeededRng(0).state()).toEqual([0x92ca2f0e, 0x3cd6e3f3, 0x1b147dcc, 0x4c081dbf]);
    });

    it('refuses the all-zero state, which xoshiro never leaves', () => {
      expect(() => new SeededRng(0, [0, 0, 0, 0])).toThrow(/must not be all zero/);
      expect(() => new SeededRng(1).restore([0, 0, 0, 0])).toThrow(/must not be all zero/);
    });

    it('next() is nextUint32 / 2^32', () => {
      const a = new SeededRng(0, [1, 2, 3, 4]);
      expect(a.next()).toBe(11520 / 4294967296);
      expect(a.next()).toBe(0);
      const b = new SeededRng(7);
      const raw = draw(new SeededRng(7), 100);
      for (const word of raw) expect(b.next()).toBe(word / 4294967296);
    });
  });

  describe('determinism', () => {
    it('gives the same sequence for the same seed and different ones for different seeds', () => {
      expect(draw(new SeededRng(123), 200)).toEqual(draw(new SeededRng(123), 200));
      expect(draw(new SeededRng(123), 20)).not.toEqual(draw(new SeededRng(124), 20));
    });

    it('repeats every derived draw for the same seed', () => {
      const run = (seed: number) => {
        const rng = new SeededRng(seed);
        return [rng.int(10), rng.uniform(-1, 1), rng.normal(), rng.beta(2, 5), rng.shuffle([1, 2, 3, 4, 5])];
      };
      expect(run(5)).toEqual(run(5));
      expect(run(5)).not.toEqual(run(6));
    });
  });

  describe('fork', () => {
    it('is stable: the same name gives the same stream, however much the parent has drawn', () => {
      const parent = new SeededRng(9);
      const early = draw(parent.fork('stage:0') as SeededRng, 100);
      draw(parent, 1000);
      const late = draw(parent.fork('stage:0') as SeededRng, 100);
      expect(late).toEqual(early);
      expect(draw(new SeededRng(9).fork('stage:0') as SeededRng, 100)).toEqual(early);
    });

    it('does not advance the parent', () => {
      const a = new SeededRng(3);
      const b = new SeededRng(3);
      a.fork('x');
      expect(draw(a, 20)).toEqual(draw(b, 20));
    });

    it('gives streams independent of the parent, of other names and of other seeds', () => {
      const parent = new SeededRng(9);
      const streams = [
        draw(new SeededRng(9), 64),
        draw(parent.fork('a') as SeededRng, 64),
        draw(parent.fork('b') as SeededRng, 64),
        draw(new SeededRng(10).fork('a') as SeededRng, 64),
      ];
      for (let i = 0; i < streams.length; i++) {
        for (let j = i + 1; j < streams.length; j++) {
          // No shared outputs at all, not just a different first value.
          const other = new Set(streams[j]);
          expect(streams[i]?.filter((value) => other.has(value))).toEqual([]);
        }
      }
    });

    it('keeps forks of forks distinct (the derivation is not a plain XOR of name hashes)', () => {
      const root = new SeededRng(11);
      const ab = draw(root.fork('a').fork('b') as SeededRng, 16);
      const ba = draw(root.fork('b').fork('a') as SeededRng, 16);
      const aa = draw(root.fork('a').fork('a') as SeededRng, 16);
      expect(ab).not.toEqual(ba);
      expect(aa).not.toEqual(draw(new SeededRng(11), 16));
    });

    it('draws uncorrelated values between a fork and its parent', () => {
      const parent = new SeededRng(21);
      const child = parent.fork('data');
      const n = 20000;
      const x = Array.from({ length: n }, () => parent.next());
      const y = Array.from({ length: n }, () => child.next());
      const mx = x.reduce((s, v) => s + v, 0) / n;
      const my = y.reduce((s, v) => s + v, 0) / n;
      let cov = 0;
      for (let i = 0; i < n; i++) cov += ((x[i] as number) - mx) * ((y[i] as number) - my);
      const correlation = cov / n / (1 / 12);
      // |r| of independent streams is ~ 1/sqrt(n) = 0.007
      expect(Math.abs(correlation)).toBeLessThan(0.03);
    });
  });

  describe('state and restore', () => {
    it('reproduces the sequence of every kind of draw after restore', () => {
      const rng = new SeededRng(77);
      draw(rng, 13);
      const saved = rng.state();
      const sample = () => [rng.next(), rng.int(1000), rng.uniform(2, 3), rng.normal(), rng.normal(), rng.normal(), rng.beta(0.5, 2), rng.shuffle([1, 2, 3, 4, 5, 6])];
      const first = sample();
      rng.restore(saved);
      expect(sample()).toEqual(first);
    });

    it('reproduces the sequence in another instance (a resumed run)', () => {
      const original = new SeededRng(5);
      original.normal();
      const saved = original.state();
      const expected = [original.normal(), original.next(), original.normal()];
      const resumed = new SeededRng(999);
      resumed.restore(saved);
      expect([resumed.normal(), resumed.next(), resumed.normal()]).toEqual(expected);
    });

    it('captures everything: a state saved after an odd number of normals still reproduces', () => {
      // A cached second normal of the polar pair would live outside the four words and be lost.
      const rng = new SeededRng(8);
      rng.normal();
      const saved = rng.state();
      const next = rng.normal();
      const copy = new SeededRng(8, saved);
      expect(copy.normal()).toBe(next);
    });

    it('returns a copy, not the live state', () => {
      const rng = new SeededRng(1);
      const saved = rng.state();
      rng.next();
      expect(rng.state()).not.toEqual(saved);
      expect(saved).toEqual(referenceSeedState(1));
    });

    it('round-trips through JSON, as checkpoints store it', () => {
      const rng = new SeededRng(4);
      draw(rng, 5);
      const restored = new SeededRng(0);
      restored.restore(JSON.parse(JSON.stringify(rng.state())) as RngState);
      expect(draw(restored, 10)).toEqual(draw(rng, 10));
    });
  });

  describe('ranges', () => {
    it('int(n) gives integers in [0, n), each value about equally often', () => {
      const rng = new SeededRng(2);
      const counts = new Array<number>(6).fill(0);
      const outside: number[] = [];
      for (let i = 0; i < 60000; i++) {
        const value = rng.int(6);
        if (!(Number.isInteger(value) && value >= 0 && value < 6)) outside.push(value);
        else counts[value] = (counts[value] as number) + 1;
      }
      expect(outside).toEqual([]);
      for (const count of counts) expect(Math.abs(count - 10000)).toBeLessThan(400);
      expect(new SeededRng(2).int(1)).toBe(0);
    });

    it('int(n) rejects n that is not a positive integer', () => {
      const rng = new SeededRng(2);
      for (const bad of [0, -3, 2.5, Number.NaN]) expect(() => rng.int(bad)).toThrow(RangeError);
    });

    it('uniform(low, high) stays in [low, high) and has mean (low + high) / 2', () => {
      const rng = new SeededRng(3);
      const values = Array.from({ length: 20000 }, () => rng.uniform(-2, 6));
      expect(Math.min(...values)).toBeGreaterThanOrEqual(-2);
      expect(Math.max(...values)).toBeLessThan(6);
      const { mean, variance } = meanAndVariance(values);
      expect(mean).toBeCloseTo(2, 1);
      expect(variance).toBeCloseTo(64 / 12, 0);
    });

    it('uniform maps the raw word linearly', () => {
      const rng = new SeededRng(0, [1, 2, 3, 4]);
      expect(rng.uniform(10, 20)).toBe(10 + 10 * (11520 / 4294967296));
    });
  });

  describe('distributions', () => {
    it('normal() has mean 0 and variance 1', () => {
      const rng = new SeededRng(4);
      const values = Array.from({ length: 50000 }, () => rng.normal());
      const { mean, variance } = meanAndVariance(values);
      expect(Math.abs(mean)).toBeLessThan(0.02);
      expect(Math.abs(variance - 1)).toBeLessThan(0.03);
      // about 68.3% within one standard deviation
      const within = values.filter((value) => Math.abs(value) < 1).length / values.length;
      expect(Math.abs(within - 0.6827)).toBeLessThan(0.01);
    });

    it('beta(2, 5) has mean 2/7 and variance 10/392, within (0, 1)', () => {
      const rng = new SeededRng(5);
      const values = Array.from({ length: 20000 }, () => rng.beta(2, 5));
      expect(values.every((value) => value > 0 && value < 1)).toBe(true);
      const { mean, variance } = meanAndVariance(values);
      expect(Math.abs(mean - 2 / 7)).toBeLessThan(0.006);
      expect(Math.abs(variance - 10 / 392)).toBeLessThan(0.002);
    });

    it('beta(0.5, 0.5) (shape < 1 path) has mean 1/2 and variance 1/8', () => {
      const rng = new SeededRng(6);
      const values = Array.from({ length: 20000 }, () => rng.beta(0.5, 0.5));
      const { mean, variance } = meanAndVariance(values);
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
      expect(Math.abs(variance - 0.125)).toBeLessThan(0.005);
    });

    it('beta rejects parameters that are not positive', () => {
      const rng = new SeededRng(6);
      expect(() => rng.beta(0, 1)).toThrow(RangeError);
      expect(() => rng.beta(1, -1)).toThrow(RangeError);
      expect(() => rng.beta(Number.NaN, 1)).toThrow(RangeError);
    });
  });

  describe('shuffle', () => {
    it('shuffles in place and returns a permutation of the input', () => {
      const rng = new SeededRng(7);
      const items = Array.from({ length: 50 }, (_, i) => i);
      const result = rng.shuffle(items);
      expect(result).toBe(items);
      expect([...result].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(result).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    });

    it('handles empty and single-item lists', () => {
      const rng = new SeededRng(7);
      expect(rng.shuffle([])).toEqual([]);
      expect(rng.shuffle(['only'])).toEqual(['only']);
    });

    it('reaches all 6 orders of 3 items about equally often (Fisher-Yates, not Sattolo)', () => {
      const rng = new SeededRng(8);
      const counts = new Map<string, number>();
      for (let i = 0; i < 6000; i++) {
        const key = rng.shuffle(['a', 'b', 'c']).join('');
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      expect([...counts.keys()].sort()).toEqual(['abc', 'acb', 'bac', 'bca', 'cab', 'cba']);
      for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(120);
    });
  });
});
