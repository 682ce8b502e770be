/**
 * The few numpy routines Ultralytics' metrics are written in, reproduced to the element: `linspace`,
 * `interp`, `trapezoid`, `argmax`, `round` and Ultralytics' own `smooth` (a box filter).
 */

/** `np.linspace(start, stop, count)`: `start + k * step`, the last value exactly `stop`. */
export function linspace(start: number, stop: number, count: number): number[] {
  if (count <= 0) return [];
  if (count === 1) return [start];
  const step = (stop - start) / (count - 1);
  const values = Array.from({ length: count }, (_, k) => k * step + start);
  values[count - 1] = stop;
  return values;
}

/** Index of the last `xp[j] <= x` (numpy's `binary_search_with_guess`): -1 below the range, `length` above it. */
function intervalOf(x: number, xp: readonly number[]): number {
  const n = xp.length;
  if (x > (xp[n - 1] as number)) return n;
  if (x < (xp[0] as number)) return -1;
  let low = 0;
  let high = n;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (x >= (xp[mid] as number)) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

export interface InterpOptions {
  /** Value below `xp[0]`; numpy's default is `fp[0]`. */
  readonly left?: number;
  /** Value above `xp[last]`; numpy's default is `fp[last]`. */
  readonly right?: number;
}

/**
 * `np.interp(x, xp, fp, left, right)` for ascending `xp` (repeats allowed): at a repeated `xp` value
 * the last of the repeats wins, at `xp[last]` exactly the value is `fp[last]`, as numpy computes it.
 */
export function interp(x: readonly number[], xp: readonly number[], fp: readonly number[], options: InterpOptions = {}): number[] {
  if (xp.length === 0 || xp.length !== fp.length) throw new RangeError(`interp: xp and fp must be non-empty and of equal length (${xp.length}, ${fp.length})`);
  const n = xp.length;
  const left = options.left ?? (fp[0] as number);
  const right = options.right ?? (fp[n - 1] as number);
  return x.map((value) => {
    if (Number.isNaN(value)) return value;
    const j = intervalOf(value, xp);
    if (j === -1) return left;
    if (j === n) return right;
    const xj = xp[j] as number;
    const yj = fp[j] as number;
    if (j === n - 1 || xj === value) return yj;
    const xk = xp[j + 1] as number;
    const yk = fp[j + 1] as number;
    const slope = (yk - yj) / (xk - xj);
    let result = slope * (value - xj) + yj;
    if (Number.isNaN(result)) {
      result = slope * (value - xk) + yk;
      if (Number.isNaN(result) && yj === yk) result = yj;
    }
    return result;
  });
}

/** `np.trapezoid(y, x)`: the sum of `(x[i+1] - x[i]) * (y[i+1] + y[i]) / 2`. */
export function trapezoid(y: readonly number[], x: readonly number[]): number {
  let area = 0;
  for (let i = 0; i + 1 < y.length; i++) area += (((x[i + 1] as number) - (x[i] as number)) * ((y[i + 1] as number) + (y[i] as number))) / 2;
  return area;
}

/** `np.argmax`: the first index of the largest value (-1 for an empty array). */
export function argmax(values: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) if (best === -1 || (values[i] as number) > (values[best] as number)) best = i;
  return best;
}

/**
 * Ultralytics' `smooth(y, f)`: a box filter of `nf = round(len * f * 2) // 2 + 1` elements (odd), the
 * ends padded with `nf // 2` copies of the first and last value, so the result is as long as `y`.
 * `f = 0` returns a copy of `y`.
 */
export function smooth(y: readonly number[], fraction: number): number[] {
  if (y.length === 0) return [];
  const nf = Math.floor(roundHalfEven(y.length * fraction * 2) / 2) + 1;
  const half = Math.floor(nf / 2);
  const padded = [...Array.from({ length: half }, () => y[0] as number), ...y, ...Array.from({ length: half }, () => y[y.length - 1] as number)];
  // np.convolve(yp, ones(nf) / nf, 'valid'): each output is a sum of nf products with 1/nf.
  const weight = 1 / nf;
  return y.map((_, i) => {
    let sum = 0;
    for (let k = 0; k < nf; k++) sum += (padded[i + k] as number) * weight;
    return sum;
  });
}

/** Python's `round` and `np.round` (half to even). */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
