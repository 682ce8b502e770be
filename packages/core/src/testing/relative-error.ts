type Values = ArrayLike<number>;

/**
 * `max |actual - reference| / max |reference|`: the fixtures README's per-tensor parity measure.
 * Lengths must agree; an all-zero reference gives the absolute error (0 only when both are zero).
 */
export function relativeMaxError(actual: Values, reference: Values): number {
  if (actual.length !== reference.length) throw new Error(`relativeMaxError: ${actual.length} values against a reference of ${reference.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] as number;
    const d = Math.abs((actual[i] as number) - r);
    if (Number.isNaN(d)) return Number.NaN;
    diff = Math.max(diff, d);
    scale = Math.max(scale, Math.abs(r));
  }
  return scale === 0 ? diff : diff / scale;
}
