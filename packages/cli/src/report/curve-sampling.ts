import type { ApPerClassResult } from '@yolo-distill/eval';

/** The grid points a curve plot draws: every `every`-th of the 1000 (and the last), enough for a smooth line at a tenth of the size. */
export function sampledGrid(points: number, every = 10): number[] {
  const indices: number[] = [];
  for (let i = 0; i < points; i += every) indices.push(i);
  if (points > 0 && indices[indices.length - 1] !== points - 1) indices.push(points - 1);
  return indices;
}

/** The label of class `cls`: its name, or its number when the data has no name for it. */
export const classLabel = (classNames: readonly string[], cls: number): string => classNames[cls] ?? String(cls);

/** The line drawn for the mean over classes, bold in both curve plots. */
export const ALL_CLASSES = 'all classes';

export type CurveSource = Pick<ApPerClassResult, 'classes' | 'confidence' | 'recall' | 'meanF1Curve' | 'best' | 'map50'>;
