import { DETECTIONS, TRUTHS } from '../test-support/metric-case.js';
import { ConfusionMatrix } from './confusion-matrix.js';

describe('ConfusionMatrix (Ultralytics ConfusionMatrix.process_batch)', () => {
  it('counts the hand-worked image: three matches, two background detections', () => {
    // Every score is above .25; A-d1 (IoU 1), B-d3 (.82), C-d4 (1) match; d2 and d5 overlap nothing.
    const matrix = new ConfusionMatrix(2).processBatch(DETECTIONS, TRUTHS).matrix();
    expect(matrix).toEqual([
      [2, 0, 1],
      [0, 1, 1],
      [0, 0, 0],
    ]);
  });

  it('matches across classes, one detection per truth by IoU, and counts misses and the rest', () => {
    const cm = new ConfusionMatrix(2).processBatch(
      [
        { box: [0, 0, 10, 7], score: 0.9, cls: 1 }, // IoU .7 with T0, predicted the wrong class
        { box: [0, 0, 10, 10], score: 0.8, cls: 0 }, // IoU 1 with T0: T0 goes to this one (best IoU)
        { box: [0, 0, 10, 10], score: 0.25, cls: 1 }, // not above the confidence threshold: ignored
        { box: [30, 30, 40, 40], score: 0.6, cls: 0 }, // IoU 25/175 = .14 with T1: not a match
      ],
      [
        { box: [0, 0, 10, 10], cls: 0 },
        { box: [35, 35, 45, 45], cls: 1 },
      ],
    );
    // [predicted][true], background last: T0 correct; T1 missed; the .9 (class 1) and .6 (class 0) detections are background.
    expect(cm.matrix()).toEqual([
      [1, 0, 1],
      [0, 0, 1],
      [0, 1, 0],
    ]);
    expect(cm.truePositivesFalsePositives()).toEqual({ tp: [1, 0], fp: [1, 1] });
  });

  it('assigns a wrong-class match to [predicted][true]', () => {
    const cm = new ConfusionMatrix(3).processBatch([{ box: [0, 0, 10, 10], score: 0.5, cls: 2 }], [{ box: [0, 0, 10, 9], cls: 0 }]);
    expect(cm.matrix()[2]).toEqual([1, 0, 0, 0]);
  });

  it('counts detections of an image without truths as background, and truths of an image without detections as missed', () => {
    const cm = new ConfusionMatrix(2)
      .processBatch([{ box: [0, 0, 5, 5], score: 0.5, cls: 1 }, { box: [0, 0, 5, 5], score: 0.1, cls: 1 }], [])
      .processBatch([], [{ box: [0, 0, 5, 5], cls: 0 }]);
    expect(cm.matrix()).toEqual([
      [0, 0, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(cm.normalized()).toEqual([
      [0, 0, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(cm.toJSON()).toMatchObject({ numClasses: 2, confidence: 0.25, iou: 0.45 });
  });

  it('takes its thresholds as options and rejects classes out of range', () => {
    const cm = new ConfusionMatrix(1, { confidence: 0.5, iou: 0.9 }).processBatch([{ box: [0, 0, 10, 8], score: 0.6, cls: 0 }], [{ box: [0, 0, 10, 10], cls: 0 }]);
    expect(cm.matrix()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(() => new ConfusionMatrix(2).processBatch([], [{ box: [0, 0, 1, 1], cls: 2 }])).toThrow('class 2 out of range 0..1');
  });
});
