import { at, DETECTIONS, TRUTHS } from '../test-support/metric-case.js';
import { evaluateDetections } from './evaluate-detections.js';
import { localisationError } from './localisation-error.js';

const A = { box: [0, 0, 10, 10] as const, cls: 0 };

describe('localisationError', () => {
  it('averages the IoU of the true positives of the hand-worked image at the best-F1 confidence', () => {
    // d1 = A (IoU 1), d2 a false positive, d3 on B with IoU 82/100, d4 = C (IoU 1); d5 is below the confidence.
    const result = localisationError([DETECTIONS], [TRUTHS], { confidence: at(599) });
    expect(result.truePositives).toBe(3);
    expect(result.meanIou).toBeCloseTo((1 + 0.82 + 1) / 3, 8);
    expect(result.error).toBeCloseTo(1 - (1 + 0.82 + 1) / 3, 8);
  });

  it('leaves out detections below the confidence', () => {
    const result = localisationError([DETECTIONS], [TRUTHS], { confidence: at(700) });
    expect(result.truePositives).toBe(1);
    expect(result.meanIou).toBeCloseTo(1, 8);
  });

  it('gives a truth to the first detection in score order that kept it, as match_predictions does', () => {
    // e1 (IoU 8/10) outscores e2 (IoU 1): both keep A as their best candidate, A goes to e1.
    const e1 = { box: [0, 0, 10, 8] as [number, number, number, number], score: 0.9, cls: 0 };
    const e2 = { box: [0, 0, 10, 10] as [number, number, number, number], score: 0.8, cls: 0 };
    const result = localisationError([[e2, e1]], [[A]], { confidence: 0.5 });
    expect(result.truePositives).toBe(1);
    expect(result.meanIou).toBeCloseTo(0.8, 8);
  });

  it('counts no true positive for the wrong class or an IoU under the threshold (error 1)', () => {
    const wrongClass = { box: [0, 0, 10, 10] as [number, number, number, number], score: 0.9, cls: 1 };
    const loose = { box: [0, 0, 10, 4] as [number, number, number, number], score: 0.9, cls: 0 };
    expect(localisationError([[wrongClass, loose]], [[A]], { confidence: 0.5 })).toEqual({ error: 1, meanIou: 0, truePositives: 0, confidence: 0.5, iouThreshold: 0.5 });
    // At a threshold of 0.3 the loose box (IoU 0.4) is a true positive.
    expect(localisationError([[loose]], [[A]], { confidence: 0.5, iouThreshold: 0.3 }).meanIou).toBeCloseTo(0.4, 8);
  });

  it('is part of evaluateDetections, read at the confidence where P and R are', () => {
    const report = evaluateDetections([DETECTIONS], [TRUTHS], { f1Smoothing: 0 });
    expect(report.localisation).toEqual(localisationError([DETECTIONS], [TRUTHS], { confidence: report.confidence }));
  });
});
