import type { ClassPrCurves } from '@yolo-distill/eval';
import type { CurveSource } from './curve-sampling.js';

const grid = Array.from({ length: 21 }, (_, i) => i / 20);
const curves = (cls: number, ap50: number, level: number): ClassPrCurves => ({
  cls,
  truths: 2,
  predictions: 3,
  ap: [ap50, ap50 / 2],
  precisionCurve: grid.map(() => level),
  recallCurve: grid.map((c) => 1 - c),
  f1Curve: grid.map((c) => level * (1 - c)),
  prPrecision: grid.map((r) => level * (1 - r / 2)),
  atBest: { precision: level, recall: 0.5, f1: 0.5, tp: 1, fp: 0 },
  ownBest: { precision: level, recall: 0.5, f1: 0.5, tp: 1, fp: 0, confidence: 0.1 },
});

/** Two classes (0 and 2) on a 21-point grid, the curves simple functions of the grid (for hand-computed plot data). */
export const CURVES: CurveSource = {
  classes: [curves(0, 0.8, 1), curves(2, 0.4, 0.5)],
  confidence: grid,
  recall: grid,
  meanF1Curve: grid.map((c) => 0.75 * (1 - c)),
  best: { index: 2, confidence: 0.1, precision: 0.75, recall: 0.5, f1: 0.675 },
  map50: 0.6,
};
