import { evaluateCoco } from './coco-evaluator.js';
import type { EvalDetection, EvalGroundTruth } from './coco-types.js';

// One image, two classes. Class 0: truths G1 (0,0,10,10) and G2 (20,20,10,10); detections by score:
// D1 0.9 = G1 exactly (IoU 1), D2 0.8 far away (FP), D3 0.7 = (20,20,10,8) (IoU with G2 = 80/100 = 0.8).
// Class 1: one truth, one exact detection.
const truths: EvalGroundTruth[] = [
  { image: 'a', category: 0, box: [0, 0, 10, 10] },
  { image: 'a', category: 0, box: [20, 20, 10, 10] },
  { image: 'a', category: 1, box: [40, 0, 20, 20] },
];
const detections: EvalDetection[] = [
  { image: 'a', category: 0, box: [0, 0, 10, 10], score: 0.9 },
  { image: 'a', category: 0, box: [50, 50, 10, 10], score: 0.8 },
  { image: 'a', category: 0, box: [20, 20, 10, 8], score: 0.7 },
  { image: 'a', category: 1, box: [40, 0, 20, 20], score: 0.6 },
];

// IoU thresholds 0.50..0.80 (7 of them): TP, FP, TP -> recall .5 .5 1, precision 1 .5 .667 -> made
// monotone 1 .667 .667; recall points 0..0.50 (51 of 101) read 1, 0.51..1.00 (50) read 2/3.
const apLow = (51 + (50 * 2) / 3) / 101;
// Thresholds 0.85..0.95 (3): TP, FP, FP -> recall stays .5: 51 points read 1, the rest 0.
const apHigh = 51 / 101;
const class0 = (7 * apLow + 3 * apHigh) / 10;

describe('evaluateCoco (pycocotools bbox semantics)', () => {
  it('gives the hand-worked AP with 101-point interpolation and the 0.5:0.95 average', () => {
    const summary = evaluateCoco(detections, truths);
    expect(summary.perClass[0]?.ap50).toBeCloseTo(apLow, 10);
    expect(summary.perClass[0]?.ap).toBeCloseTo(class0, 10);
    // precision is tp / (tp + fp + np.spacing(1)), so a perfect class reads 1 - 2e-16, as in pycocotools
    expect(summary.perClass[1]?.ap).toBeCloseTo(1, 12);
    expect(summary.perClass[1]?.ap50).toBeCloseTo(1, 12);
    expect(summary.map50).toBeCloseTo((apLow + 1) / 2, 10);
    expect(summary.map).toBeCloseTo((class0 + 1) / 2, 10);
    // AP75: 0.75 <= 0.8, so the low-threshold case
    expect(summary.map75).toBeCloseTo((apLow + 1) / 2, 10);
  });

  it('splits by area: all boxes are small (< 32^2), medium and large have nothing (-1)', () => {
    const summary = evaluateCoco(detections, truths);
    expect(summary.mapSmall).toBeCloseTo(summary.map, 10);
    expect(summary.mapMedium).toBe(-1);
    expect(summary.mapLarge).toBe(-1);
  });

  it('reports recall at 1, 10 and 100 detections per image', () => {
    const summary = evaluateCoco(detections, truths);
    // maxDets 1: class 0 keeps D1 only -> recall .5 at every threshold; class 1 -> 1.
    expect(summary.ar1).toBeCloseTo((0.5 + 1) / 2, 10);
    // maxDets 100: class 0 recall 1 at 7 thresholds, .5 at 3 -> .85; class 1 -> 1.
    expect(summary.ar100).toBeCloseTo((0.85 + 1) / 2, 10);
  });

  it('matches each truth once: a duplicate detection is a false positive', () => {
    const summary = evaluateCoco(
      [
        { image: 1, category: 0, box: [0, 0, 10, 10], score: 0.9 },
        { image: 1, category: 0, box: [0, 0, 10, 10], score: 0.8 },
      ],
      [{ image: 1, category: 0, box: [0, 0, 10, 10] }],
    );
    // TP then FP: recall 1, 1 -> every recall point reads precision 1.
    expect(summary.map).toBeCloseTo(1, 12);
  });

  it('ignores detections matched to a crowd region and never counts the crowd as missed', () => {
    const crowdTruths: EvalGroundTruth[] = [
      { image: 1, category: 0, box: [0, 0, 10, 10] },
      { image: 1, category: 0, box: [30, 30, 40, 40], crowd: true },
    ];
    const dets: EvalDetection[] = [
      { image: 1, category: 0, box: [35, 35, 10, 10], score: 0.95 }, // inside the crowd: IoU = 100/100 (over its own area)
      { image: 1, category: 0, box: [40, 40, 10, 10], score: 0.93 }, // also the crowd: crowds match many
      { image: 1, category: 0, box: [0, 0, 10, 10], score: 0.9 },
    ];
    expect(evaluateCoco(dets, crowdTruths).map).toBeCloseTo(1, 12);
  });

  it('counts a class with truths but no detections as AP 0 and ignores classes without truths', () => {
    const summary = evaluateCoco([{ image: 1, category: 5, box: [0, 0, 5, 5], score: 0.5 }], [{ image: 1, category: 0, box: [0, 0, 10, 10] }]);
    expect(summary.perClass[0]?.ap).toBe(0);
    expect(summary.map).toBe(0);
  });
});
