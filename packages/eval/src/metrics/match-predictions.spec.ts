import { DETECTIONS, TRUTHS } from '../test-support/metric-case.js';
import { IOU_THRESHOLDS, matchOneToOne, matchPredictions, xyxyIoU } from './match-predictions.js';

describe('xyxyIoU', () => {
  it('divides by the union plus 1e-7, as Ultralytics box_iou', () => {
    expect(xyxyIoU([20, 20, 30, 30], [20, 20, 30, 28.2])).toBeCloseTo(82 / (100 + 1e-7), 12);
    expect(xyxyIoU([0, 0, 10, 10], [0, 0, 10, 10])).toBe(100 / (100 + 1e-7));
    expect(xyxyIoU([0, 0, 10, 10], [10, 0, 20, 10])).toBe(0);
  });
});

describe('IOU_THRESHOLDS', () => {
  it('are 0.50, 0.55, ..., 0.95', () => {
    expect(IOU_THRESHOLDS).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);
  });
});

describe('matchPredictions (Ultralytics match_predictions)', () => {
  it('marks the hand-worked detections TP/FP per threshold', () => {
    const correct = matchPredictions(DETECTIONS, TRUTHS);
    const low = [true, true, true, true, true, true, true, false, false, false]; // IoU 0.82
    expect(correct).toEqual([IOU_THRESHOLDS.map(() => true), IOU_THRESHOLDS.map(() => false), low, IOU_THRESHOLDS.map(() => true), IOU_THRESHOLDS.map(() => false)]);
  });

  it('never matches across classes', () => {
    expect(matchPredictions([{ box: [0, 0, 10, 10], score: 0.9, cls: 1 }], [{ box: [0, 0, 10, 10], cls: 0 }], [0.5])).toEqual([[false]]);
  });

  it('gives a truth to the higher-scored of two detections that both want it, even at a lower IoU', () => {
    // dA (score .9) has IoU .7 with T, dB (score .8) IoU 1. Each detection keeps T; going by score, dA gets it.
    // At 0.75 only dB is a candidate. Input order does not matter, scores do.
    const dB = { box: [0, 0, 10, 10] as const, score: 0.8, cls: 0 };
    const dA = { box: [0, 0, 10, 7] as const, score: 0.9, cls: 0 };
    expect(matchPredictions([dB, dA], [{ box: [0, 0, 10, 10], cls: 0 }], [0.5, 0.75])).toEqual([
      [false, true],
      [true, false],
    ]);
  });

  it('lets each detection take the truth it overlaps most', () => {
    // d overlaps T1 by 0.6 and T2 by 0.9: it takes T2, and T1 stays free for e.
    const truths = [
      { box: [0, 0, 10, 10] as const, cls: 0 },
      { box: [4, 0, 14, 10] as const, cls: 0 },
    ];
    const d = { box: [5, 0, 15, 10] as const, score: 0.9, cls: 0 }; // T1: 5/15 = 0.33; T2: 9/11 = 0.82
    const e = { box: [0, 0, 10, 10] as const, score: 0.5, cls: 0 };
    expect(matchPredictions([d, e], truths, [0.5])).toEqual([[true], [true]]);
  });
});

describe('matchOneToOne (ConfusionMatrix.process_batch)', () => {
  it('re-sorts by IoU before giving each truth one detection', () => {
    // Truth 0; detection 0 at IoU .7, detection 1 at IoU 1: the truth goes to detection 1.
    expect(matchOneToOne([[0.7, 1]], 0.45)).toEqual([[0, 1]]);
  });

  it('needs an IoU strictly above the threshold', () => {
    expect(matchOneToOne([[0.45, 0.2]], 0.45)).toEqual([]);
    expect(matchOneToOne([[0.46, 0.2]], 0.45)).toEqual([[0, 0]]);
  });

  it('lets each detection match once and each truth once', () => {
    // Both truths like detection 0 best; truth 1 then gets nothing, since detection 0 chose truth 0 (IoU .9 > .8).
    expect(matchOneToOne([
      [0.9, 0.1],
      [0.8, 0.3],
    ], 0.45)).toEqual([[0, 0]]);
  });
});
