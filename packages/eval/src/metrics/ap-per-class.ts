import { argmax, interp, linspace, roundHalfEven, smooth, trapezoid } from './numeric.js';

/** Every prediction of a data set, flattened over images: its `correct` flags per IoU threshold, score and class. */
export interface ApPerClassInput {
  /** `[prediction][threshold]`: a true positive at that IoU threshold (see `matchPredictions`). */
  readonly correct: readonly (readonly boolean[])[];
  readonly confidence: readonly number[];
  readonly predictedClass: readonly number[];
  /** The class of every ground-truth box of the data set. */
  readonly targetClass: readonly number[];
}

export interface ApPerClassOptions {
  /**
   * Fraction of the confidence grid Ultralytics' `smooth` averages over before it picks the best-F1
   * confidence (0.1, a box filter of 101 of the 1000 points); 0 picks on the raw mean F1 curve.
   */
  readonly smoothing?: number;
  /** Points of the confidence and recall grids (Ultralytics: 1000). */
  readonly points?: number;
}

/** Precision, recall and F1 of one class at one confidence threshold, with the TP/FP counts they imply. */
export interface OperatingPoint {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** `round(recall * truths)`, as Ultralytics reports it. */
  readonly tp: number;
  /** `round(tp / precision - tp)`. */
  readonly fp: number;
}

/** One class (one with ground truth): counts, AP per IoU threshold, curves and best-F1 points. */
export interface ClassPrCurves {
  readonly cls: number;
  readonly truths: number;
  readonly predictions: number;
  /** AP per IoU threshold as Ultralytics' `compute_ap` integrates it (101-point trapezoid; a perfect class reads 0.995). */
  readonly ap: readonly number[];
  /** Over the confidence grid: precision (1 above the highest score), recall (0 above it), F1 = 2PR/(P+R). */
  readonly precisionCurve: readonly number[];
  readonly recallCurve: readonly number[];
  readonly f1Curve: readonly number[];
  /** Precision over the recall grid at the first IoU threshold, made monotone (what the PR plot draws). */
  readonly prPrecision: readonly number[];
  /** At the confidence that maximises the mean F1 of all classes (`atBest` below). */
  readonly atBest: OperatingPoint;
  /** At the confidence that maximises this class's own (equally smoothed) F1 curve. */
  readonly ownBest: OperatingPoint & { readonly confidence: number };
}

export interface ApPerClassResult {
  /** Classes with ground truth, ascending; curves and counts follow this order. */
  readonly classes: readonly ClassPrCurves[];
  /** The confidence grid of the P/R/F1 curves (0..1, `points` values). */
  readonly confidence: readonly number[];
  /** The recall grid of the PR curves (0..1, `points` values). */
  readonly recall: readonly number[];
  /** Mean F1 over classes, per confidence grid point (before smoothing). */
  readonly meanF1Curve: readonly number[];
  /** The grid index and confidence of the best mean F1 (after smoothing), and the class means there. */
  readonly best: {
    readonly index: number;
    readonly confidence: number;
    readonly precision: number;
    readonly recall: number;
    readonly f1: number;
  };
  /** Means over classes of AP at the first threshold (0.5) and over all thresholds (0.5:0.95), Ultralytics' `map50`/`map`. */
  readonly map50: number;
  readonly map: number;
}

const EPS = 1e-16;

const mean = (values: readonly number[]): number => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

/**
 * Ultralytics' `ap_per_class` (ultralytics/utils/metrics.py): predictions sorted by confidence, per class
 * cumulative TP/FP at every IoU threshold, recall = TP / (truths + 1e-16), precision = TP / (TP + FP);
 * recall and precision interpolated onto a confidence grid (`np.interp` over -confidence: recall 0 and
 * precision 1 above the highest score, the last value below the lowest), F1 = 2PR / (P + R + 1e-16),
 * and the operating point at the argmax of the smoothed mean F1 over classes. AP is `compute_ap`:
 * sentinels (recall 0 -> precision 1, recall 1 -> precision 0), the precision envelope, 101-point
 * interpolation, trapezoid rule.
 *
 * Differences from the Python: equal confidences keep their input order (numpy's quicksort does not
 * promise one); the PR curve has a row for every class (zeros for a class without predictions) where
 * Ultralytics skips such classes; per class a best-F1 confidence of its own is reported too. Classes
 * without ground truth are left out, as there.
 */
export function apPerClass(input: ApPerClassInput, options: ApPerClassOptions = {}): ApPerClassResult {
  const points = options.points ?? 1000;
  const smoothing = options.smoothing ?? 0.1;
  const n = input.confidence.length;
  if (input.correct.length !== n || input.predictedClass.length !== n) {
    throw new RangeError(`apPerClass: ${input.correct.length} correct rows, ${n} confidences and ${input.predictedClass.length} classes must be as many`);
  }
  const thresholds = input.correct[0]?.length ?? 1;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (input.confidence[b] as number) - (input.confidence[a] as number));
  const grid = linspace(0, 1, points);
  const negGrid = grid.map((x) => -x);
  const recallPoints = linspace(0, 1, 101);

  const counts = new Map<number, number>();
  for (const cls of input.targetClass) counts.set(cls, (counts.get(cls) ?? 0) + 1);
  const classIds = [...counts.keys()].sort((a, b) => a - b);

  const perClass = classIds.map((cls) => {
    const truths = counts.get(cls) as number;
    const rows = order.filter((i) => input.predictedClass[i] === cls);
    const ap = Array.from({ length: thresholds }, () => 0);
    let precisionCurve = grid.map(() => 0);
    let recallCurve = grid.map(() => 0);
    let prPrecision = grid.map(() => 0);
    if (rows.length > 0) {
      const negConf = rows.map((i) => -(input.confidence[i] as number));
      for (let k = 0; k < thresholds; k++) {
        let tp = 0;
        let fp = 0;
        const recall: number[] = [];
        const precision: number[] = [];
        for (const i of rows) {
          if (input.correct[i]?.[k] === true) tp += 1;
          else fp += 1;
          recall.push(tp / (truths + EPS));
          precision.push(tp / (tp + fp));
        }
        const { ap: value, mpre, mrec } = computeAp(recall, precision, recallPoints);
        ap[k] = value;
        if (k === 0) {
          recallCurve = interp(negGrid, negConf, recall, { left: 0 });
          precisionCurve = interp(negGrid, negConf, precision, { left: 1 });
          prPrecision = interp(grid, mrec, mpre);
        }
      }
    }
    const f1Curve = precisionCurve.map((p, j) => (2 * p * (recallCurve[j] as number)) / (p + (recallCurve[j] as number) + EPS));
    return { cls, truths, predictions: rows.length, ap, precisionCurve, recallCurve, f1Curve, prPrecision };
  });

  const meanF1Curve = grid.map((_, j) => mean(perClass.map((c) => c.f1Curve[j] as number)));
  const bestIndex = perClass.length === 0 ? 0 : argmax(smooth(meanF1Curve, smoothing));
  const pointAt = (c: (typeof perClass)[number], j: number): OperatingPoint => {
    const precision = c.precisionCurve[j] as number;
    const recall = c.recallCurve[j] as number;
    const tp = roundHalfEven(recall * c.truths);
    return { precision, recall, f1: c.f1Curve[j] as number, tp, fp: roundHalfEven(tp / (precision + EPS) - tp) };
  };
  const classes: ClassPrCurves[] = perClass.map((c) => {
    const own = argmax(smooth(c.f1Curve, smoothing));
    return { ...c, atBest: pointAt(c, bestIndex), ownBest: { ...pointAt(c, own), confidence: grid[own] as number } };
  });
  return {
    classes,
    confidence: grid,
    recall: grid,
    meanF1Curve,
    best: {
      index: bestIndex,
      confidence: grid[bestIndex] as number,
      precision: mean(classes.map((c) => c.atBest.precision)),
      recall: mean(classes.map((c) => c.atBest.recall)),
      f1: mean(classes.map((c) => c.atBest.f1)),
    },
    map50: mean(classes.map((c) => c.ap[0] as number)),
    map: mean(classes.map((c) => mean(c.ap))),
  };
}

/**
 * Ultralytics 8.4's `compute_ap(recall, precision)`: sentinel points, the precision envelope (running
 * maximum from the right), then `trapezoid(interp(x, mrec, mpre), x)` over 101 recall points. The curve
 * is closed at the highest recall reached: `mrec = [0, ...recall, recall[-1], 1]`, `mpre = [1,
 * ...precision, 0, 0]`, so precision drops to 0 right after it (8.3 joined the last point straight to
 * (1, 0), crediting recall the model never reached).
 */
export function computeAp(
  recall: readonly number[],
  precision: readonly number[],
  recallPoints: readonly number[] = linspace(0, 1, 101),
): { ap: number; mpre: number[]; mrec: number[] } {
  const reached = recall.length > 0 ? (recall[recall.length - 1] as number) : 1;
  const mrec = [0, ...recall, reached, 1];
  const mpre = [1, ...precision, 0, 0];
  for (let i = mpre.length - 2; i >= 0; i--) mpre[i] = Math.max(mpre[i] as number, mpre[i + 1] as number);
  return { ap: trapezoid(interp(recallPoints, mrec, mpre), recallPoints), mpre, mrec };
}
