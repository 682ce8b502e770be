import type { OnnxFloatTensor } from '@yolo-distill/core';

/** The FP32 parity rule: max |ort - tfjs| <= PARITY_TOLERANCE x max |tfjs|, per output. */
export const PARITY_TOLERANCE = 1e-4;

/** How one output of an export compares with the tfjs model. */
export interface OutputParity {
  readonly name: string;
  readonly dims: readonly number[];
  readonly maxAbsError: number;
  readonly maxAbsReference: number;
  /** maxAbsError / maxAbsReference (Infinity when the shapes differ). */
  readonly relativeError: number;
  readonly passed: boolean;
  /** Why a comparison could not be made value by value (shapes differ). */
  readonly note?: string;
}

function parity(name: string, dims: readonly number[], maxAbsError: number, maxAbsReference: number, tolerance: number, note?: string): OutputParity {
  const relativeError = note !== undefined ? Number.POSITIVE_INFINITY : maxAbsReference > 0 ? maxAbsError / maxAbsReference : maxAbsError;
  return { name, dims: [...dims], maxAbsError, maxAbsReference, relativeError, passed: relativeError <= tolerance, ...(note !== undefined ? { note } : {}) };
}

/** Value by value; the shapes must be equal (`runtime` names what gave `actual` when they are not). */
export function compareTensors(name: string, actual: OnnxFloatTensor, reference: OnnxFloatTensor, tolerance = PARITY_TOLERANCE, runtime = 'onnxruntime'): OutputParity {
  const same = actual.dims.length === reference.dims.length && actual.dims.every((d, i) => d === reference.dims[i]);
  if (!same || actual.data.length !== reference.data.length) {
    return parity(name, reference.dims, Number.NaN, Number.NaN, tolerance, `${runtime} gives [${actual.dims.join(', ')}], tfjs [${reference.dims.join(', ')}]`);
  }
  let maxAbsError = 0;
  let maxAbsReference = 0;
  for (let i = 0; i < reference.data.length; i++) {
    const a = actual.data[i] as number;
    const r = reference.data[i] as number;
    const error = Math.abs(a - r);
    // NaN anywhere fails the check: NaN > x is false, so count it explicitly.
    maxAbsError = Number.isNaN(error) ? Number.POSITIVE_INFINITY : Math.max(maxAbsError, error);
    maxAbsReference = Math.max(maxAbsReference, Math.abs(r));
  }
  return parity(name, reference.dims, maxAbsError, maxAbsReference, tolerance);
}

/**
 * NMS rows `[K, 7]` (batch, x1, y1, x2, y2, score, class): the same number of detections per image,
 * each reference row paired with the closest unpaired row of its image and class (their order among
 * near-equal scores is not part of the contract), then value by value.
 */
export function compareDetections(name: string, actual: OnnxFloatTensor, reference: OnnxFloatTensor, tolerance = PARITY_TOLERANCE): OutputParity {
  const width = 7;
  const rowsOf = (t: OnnxFloatTensor) => Array.from({ length: t.data.length / width }, (_, i) => Array.from(t.data.subarray(i * width, (i + 1) * width)));
  const ours = rowsOf(actual);
  const theirs = rowsOf(reference);
  const countPerImage = (rows: number[][]) => rows.reduce((counts, row) => counts.set(row[0] as number, (counts.get(row[0] as number) ?? 0) + 1), new Map<number, number>());
  const [a, r] = [countPerImage(ours), countPerImage(theirs)];
  const images = [...new Set([...a.keys(), ...r.keys()])].sort((x, y) => x - y);
  const differ = images.filter((image) => a.get(image) !== r.get(image));
  if (differ.length > 0) {
    const counts = differ.map((image) => `image ${image}: ${a.get(image) ?? 0} vs ${r.get(image) ?? 0}`).join(', ');
    return parity(name, reference.dims, Number.NaN, Number.NaN, tolerance, `onnxruntime and tfjs + NMS keep different numbers of detections (${counts})`);
  }
  const used = new Set<number>();
  let maxAbsError = 0;
  let maxAbsReference = 0;
  for (const row of theirs) {
    let best = -1;
    let bestError = Number.POSITIVE_INFINITY;
    ours.forEach((candidate, i) => {
      if (used.has(i) || candidate[0] !== row[0] || candidate[6] !== row[6]) return;
      const error = Math.max(...candidate.map((value, k) => Math.abs(value - (row[k] as number))));
      if (error < bestError) [best, bestError] = [i, error];
    });
    if (best < 0) return parity(name, reference.dims, Number.NaN, Number.NaN, tolerance, `tfjs + NMS finds a class ${row[6]} box in image ${row[0]} that onnxruntime does not`);
    used.add(best);
    maxAbsError = Math.max(maxAbsError, bestError);
    maxAbsReference = Math.max(maxAbsReference, ...row.map(Math.abs));
  }
  return parity(name, reference.dims, maxAbsError, maxAbsReference, tolerance);
}
