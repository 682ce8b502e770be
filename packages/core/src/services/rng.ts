/** The run's random numbers. Everything that draws randomness takes an Rng, never Math.random. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  uniform(low: number, high: number): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Beta(a, b), e.g. MixUp's ratio. */
  beta(a: number, b: number): number;
  shuffle<T>(items: T[]): T[];
  /** An independent stream derived from this one's seed and a name, stable across runs. */
  fork(name: string): Rng;
  state(): RngState;
  restore(state: RngState): void;
}

export type RngState = readonly [number, number, number, number];

/** 32-bit string hash (FNV-1a), to derive fork seeds from names. */
function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** SplitMix32 expands one seed word into well-mixed state words. */
function splitMix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** xoshiro128** (Blackman & Vigna): fast, 128-bit state, passes BigCrush. */
export class SeededRng implements Rng {
  private s: [number, number, number, number];

  constructor(
    private readonly seed: number,
    state?: RngState,
  ) {
    if (state) {
      this.s = [state[0] >>> 0, state[1] >>> 0, state[2] >>> 0, state[3] >>> 0];
    } else {
      const mix = splitMix32(seed);
      this.s = [mix(), mix(), mix(), mix()];
    }
    if (this.s.every((word) => word === 0)) throw new Error('xoshiro128** state must not be all zero');
  }

  /** Next raw 32-bit output. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  }

  next(): number {
    return this.nextUint32() / 4294967296;
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Rng.int needs a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /**
   * Marsaglia polar method. The second value of each pair is dropped rather than cached, so the
   * whole generator state is the four xoshiro words: `state()`/`restore()` then reproduce the
   * sequence exactly, whatever the number of normals drawn before the checkpoint.
   */
  normal(): number {
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    return u * Math.sqrt((-2 * Math.log(s)) / s);
  }

  /** Gamma(shape, 1) by Marsaglia & Tsang; shape < 1 via the boost x * U^(1/shape). */
  private gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.next() || Number.MIN_VALUE, 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number, v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  beta(a: number, b: number): number {
    if (!(a > 0 && b > 0)) throw new RangeError(`Rng.beta needs positive parameters, got ${a}, ${b}`);
    const x = this.gamma(a);
    const y = this.gamma(b);
    return x / (x + y);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /**
   * The fork's seed hashes this seed together with the name, so forks of forks stay distinct:
   * `fork('a').fork('b')` differs from `fork('b').fork('a')`, and `fork('a').fork('a')` is not the parent.
   */
  fork(name: string): Rng {
    return new SeededRng(hashName(`${this.seed >>> 0}/${name}`));
  }

  state(): RngState {
    return [...this.s] as unknown as RngState;
  }

  restore(state: RngState): void {
    const words: [number, number, number, number] = [state[0] >>> 0, state[1] >>> 0, state[2] >>> 0, state[3] >>> 0];
    if (words.every((word) => word === 0)) throw new Error('xoshiro128** state must not be all zero');
    this.s = words;
  }
}
