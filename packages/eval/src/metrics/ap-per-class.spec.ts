import { at, DETECTIONS, TRUTHS } from '../test-support/metric-case.js';
import { apPerClass, computeAp, type ApPerClassInput } from './ap-per-class.js';
import { matchPredictions } from './match-predictions.js';
import { argmax, smooth } from './numeric.js';

// The shared image (see test-support/metric-case.ts), scores on the grid at k = 899, 799, 699 (class 0)
// and 599, 499 (class 1).
const input: ApPerClassInput = {
  correct: matchPredictions(DETECTIONS, TRUTHS),
  confidence: DETECTIONS.map((d) => d.score),
  predictedClass: DETECTIONS.map((d) => d.cls),
  targetClass: TRUTHS.map((g) => g.cls),
};

// Class 0 at IoU 0.5: TP, FP, TP -> recall .5 .5 1, precision 1 .5 2/3.
// compute_ap (8.4): mrec [0 .5 .5 1 1 1], envelope [1 1 2/3 2/3 0 0]; np.interp reads 1 below recall .5,
// 2/3 at .5 (the last of the repeated .5), 2/3 up to .99 and the sentinel 0 at 1. Trapezoid over 0, .01, ..., 1:
const apClass0Low = 0.01 * (49 + (1 + 2 / 3) / 2 + 49 * (2 / 3) + (2 / 3) / 2);
// At IoU 0.85..0.95 d3 is a FP: recall .5 .5 .5, precision 1 .5 1/3 -> mrec [0 .5 .5 .5 .5 1], envelope
// [1 1 .5 1/3 0 0]: 1 below .5, and 0 from .5 on (the curve closes at the recall reached, .5), so the
// only partial step is .49 -> .5. (Ultralytics 8.3's closing, straight to (1, 0), gave .58.)
const apClass0High = 0.49 + ((1 + 0) / 2) * 0.01;
// Class 1: TP, FP -> recall 1 1, precision 1 .5: 1 up to .99, 0 at 1 -> 0.995 (Ultralytics' well-known ceiling).
const apClass1 = 0.995;

describe('computeAp (Ultralytics compute_ap)', () => {
  it('integrates the 101-point interpolated envelope with the trapezoid rule', () => {
    expect(computeAp([0.5, 0.5, 1], [1, 0.5, 2 / 3]).ap).toBeCloseTo(apClass0Low, 12);
    expect(computeAp([0.5, 0.5, 0.5], [1, 0.5, 1 / 3]).ap).toBeCloseTo(apClass0High, 12);
    expect(computeAp([1], [1]).ap).toBeCloseTo(0.995, 12);
  });
});

describe('apPerClass (Ultralytics ap_per_class)', () => {
  it('gives AP per class and IoU threshold', () => {
    const result = apPerClass(input, { smoothing: 0 });
    expect(result.classes.map((c) => [c.cls, c.truths, c.predictions])).toEqual([
      [0, 2, 3],
      [1, 1, 2],
    ]);
    const [class0, class1] = result.classes;
    expect(class0?.ap.slice(0, 7).map((v) => v - apClass0Low)).toEqual(Array(7).fill(expect.closeTo(0, 12)));
    expect(class0?.ap.slice(7).map((v) => v - apClass0High)).toEqual(Array(3).fill(expect.closeTo(0, 12)));
    expect(class1?.ap.map((v) => v - apClass1)).toEqual(Array(10).fill(expect.closeTo(0, 12)));
    expect(result.map50).toBeCloseTo((apClass0Low + apClass1) / 2, 12);
    expect(result.map).toBeCloseTo(((7 * apClass0Low + 3 * apClass0High) / 10 + apClass1) / 2, 12);
  });

  it('interpolates precision and recall over the confidence grid', () => {
    const [class0, class1] = apPerClass(input, { smoothing: 0 }).classes;
    // Above the highest score: precision 1, recall 0.
    expect([class0?.precisionCurve[950], class0?.recallCurve[950], class0?.f1Curve[950]]).toEqual([1, 0, 0]);
    // At d1's score (k = 899): P 1, R .5. Half-way to d2 (k = 849): P from 1 to .5 -> .75, R stays .5.
    expect([class0?.precisionCurve[899], class0?.recallCurve[899]]).toEqual([1, 0.5]);
    expect(class0?.precisionCurve[849]).toBeCloseTo(0.75, 9);
    expect(class0?.recallCurve[849]).toBeCloseTo(0.5, 9);
    // Half-way from d2 (k = 799) to d3 (k = 699): P from .5 to 2/3 -> 7/12, R from .5 to 1 -> .75.
    expect(class0?.precisionCurve[749]).toBeCloseTo(7 / 12, 9);
    expect(class0?.recallCurve[749]).toBeCloseTo(0.75, 9);
    // Below the lowest score: the last values, P 2/3, R 1, F1 = 2 (2/3) / (5/3) = 0.8.
    expect(class0?.precisionCurve[0]).toBeCloseTo(2 / 3, 12);
    expect(class0?.recallCurve[0]).toBeCloseTo(1, 12);
    expect(class0?.f1Curve[0]).toBeCloseTo(0.8, 12);
    // Class 1 between d4 (k = 599) and d5 (k = 499): P from 1 to .5, R 1.
    expect(class1?.precisionCurve[549]).toBeCloseTo(0.75, 9);
    expect(class1?.recallCurve[549]).toBe(1);
    expect(class1?.f1Curve[650]).toBe(0);
  });

  it('picks the confidence of the best mean F1 (no smoothing) and reports P, R, F1, TP, FP there', () => {
    // Mean F1: k <= 499: (.8 + 2/3) / 2; (499, 599]: rises to (.8 + 1) / 2 = .9 at k = 599; above: class 1 has
    // R = 0 -> at most (.8 + 0) / 2. So the best is k = 599, the score of d4.
    const result = apPerClass(input, { smoothing: 0 });
    expect(result.best.index).toBe(599);
    expect(result.best.confidence).toBe(at(599));
    expect(result.best.precision).toBeCloseTo((2 / 3 + 1) / 2, 12);
    expect(result.best.recall).toBeCloseTo(1, 12);
    expect(result.best.f1).toBeCloseTo(0.9, 12);
    const [class0, class1] = result.classes;
    expect(class0?.atBest).toEqual({ precision: expect.closeTo(2 / 3, 12), recall: expect.closeTo(1, 12), f1: expect.closeTo(0.8, 12), tp: 2, fp: 1 });
    expect(class1?.atBest).toEqual({ precision: 1, recall: expect.closeTo(1, 12), f1: expect.closeTo(1, 12), tp: 1, fp: 0 });
  });

  it("reports each class's own best-F1 confidence (the first grid point of a plateau)", () => {
    const [class0, class1] = apPerClass(input, { smoothing: 0 }).classes;
    // Class 0's F1 is .8 from confidence 0 up to d3's score and lower above it.
    expect(class0?.ownBest.confidence).toBe(0);
    expect(class0?.ownBest.f1).toBeCloseTo(0.8, 12);
    expect(class1?.ownBest.confidence).toBe(at(599));
    expect(class1?.ownBest.f1).toBeCloseTo(1, 12);
  });

  it('smooths the mean F1 curve with a 101-point box filter by default', () => {
    const result = apPerClass(input);
    expect(result.best.index).toBe(argmax(smooth(result.meanF1Curve, 0.1)));
    // The peak at 599 is narrow: the filter moves the best point into the ramp below it (499..599).
    expect(result.best.index).toBeGreaterThan(499);
    expect(result.best.index).toBeLessThan(599);
  });

  it('draws the PR curve at IoU 0.5 from the precision envelope over a 1000-point recall grid', () => {
    const [class0] = apPerClass(input, { smoothing: 0 }).classes;
    expect(class0?.prPrecision[0]).toBe(1);
    expect(class0?.prPrecision[499]).toBe(1); // recall .4995 < .5
    expect(class0?.prPrecision[500]).toBeCloseTo(2 / 3, 12);
    expect(class0?.prPrecision[999]).toBe(0); // the recall-1 sentinel
  });

  it('scores a class without predictions as zero everywhere and leaves classes without truths out', () => {
    const result = apPerClass({ correct: [[true]], confidence: [0.5], predictedClass: [7], targetClass: [2] }, { smoothing: 0 });
    expect(result.classes.map((c) => c.cls)).toEqual([2]);
    expect(result.classes[0]?.ap).toEqual([0]);
    expect(result.classes[0]?.atBest).toEqual({ precision: 0, recall: 0, f1: 0, tp: 0, fp: 0 });
    expect(result.map).toBe(0);
  });

  it('handles a data set without ground truth', () => {
    const result = apPerClass({ correct: [], confidence: [], predictedClass: [], targetClass: [] });
    expect(result.classes).toEqual([]);
    expect(result.best).toEqual({ index: 0, confidence: 0, precision: 0, recall: 0, f1: 0 });
  });

  it('rejects inputs of different lengths', () => {
    expect(() => apPerClass({ correct: [[true]], confidence: [0.5, 0.4], predictedClass: [0], targetClass: [0] })).toThrow(/must be as many/);
  });
});
