/**
 * Indices of the `k` largest of `values[offset .. offset + length)`, relative to `offset`, largest
 * first; equal values keep their order (the lower index first), so the result is deterministic.
 * If `k > length`, all `length` indices are returned.
 */
export function topKIndices(values: ArrayLike<number>, offset: number, length: number, k: number): Int32Array {
  const size = Math.min(k, length);
  const picked = new Int32Array(size);
  const pickedValues = new Float64Array(size);
  let filled = 0;
  for (let i = 0; i < length; i += 1) {
    const value = values[offset + i] as number;
    if (filled === size && !(value > (pickedValues[size - 1] as number))) continue;
    // Insert after every picked value >= this one (ties: the earlier index stays ahead).
    let at = filled === size ? size - 1 : filled;
    while (at > 0 && (pickedValues[at - 1] as number) < value) {
      picked[at] = picked[at - 1] as number;
      pickedValues[at] = pickedValues[at - 1] as number;
      at -= 1;
    }
    picked[at] = i;
    pickedValues[at] = value;
    if (filled < size) filled += 1;
  }
  return picked;
}
