/**
 * A 2-D affine map `x' = a·x + b·y + c`, `y' = d·x + e·y + f` (the top two rows of a 3x3 matrix,
 * as OpenCV's `warpAffine` takes it).
 *
 * Coordinates are continuous pixels: pixel `i` covers `[i, i + 1)`, its centre is `i + 0.5`, and the
 * image spans `[0, width] x [0, height]`. Boxes (`x1, y1, x2, y2` in pixels) and pixel centres live in
 * the same space, so a map moves labels and pixels identically.
 */
export type Affine = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

export const IDENTITY: Affine = [1, 0, 0, 0, 1, 0];

export const translation = (tx: number, ty: number): Affine => [1, 0, tx, 0, 1, ty];

/** `m1 · m2`: applies `m2` first, then `m1`. */
function multiply(m1: Affine, m2: Affine): Affine {
  const [a1, b1, c1, d1, e1, f1] = m1;
  const [a2, b2, c2, d2, e2, f2] = m2;
  return [a1 * a2 + b1 * d2, a1 * b2 + b1 * e2, a1 * c2 + b1 * f2 + c1, d1 * a2 + e1 * d2, d1 * b2 + e1 * e2, d1 * c2 + e1 * f2 + f1];
}

/** The product of the maps as matrices, `compose(T, S, R, C) = T·S·R·C`: the last one applies first. */
export function compose(...maps: readonly Affine[]): Affine {
  return maps.reduce(multiply, IDENTITY);
}

export function invert(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (det === 0 || !Number.isFinite(det)) throw new RangeError(`affine map [${m.join(', ')}] is not invertible`);
  const ia = e / det;
  const ib = -b / det;
  const id = -d / det;
  const ie = a / det;
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
}

export function applyAffine(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}
