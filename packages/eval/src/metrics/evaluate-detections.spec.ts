import { at, DETECTIONS, TRUTHS } from '../test-support/metric-case.js';
import { evaluateDetections, toCocoInputs } from './evaluate-detections.js';

// COCO on the shared image (greedy by score, 101 recall points): class 0 at IoU .50..0.80 TP, FP, TP ->
// monotone precision 1, 2/3, 2/3 -> 51 recall points read 1 and 50 read 2/3; at .85..0.95 (d3 misses)
// 51 points read 1. Class 1: TP then FP -> every point reads 1.
const cocoLow = (51 + (50 * 2) / 3) / 101;
const cocoHigh = 51 / 101;
const cocoClass0 = (7 * cocoLow + 3 * cocoHigh) / 10;

describe('toCocoInputs', () => {
  it('turns xyxy boxes into xywh and numbers the images', () => {
    const { detections, truths } = toCocoInputs([[{ box: [1, 2, 4, 8], score: 0.5, cls: 3 }], []], [[], [{ box: [0, 0, 2, 2], cls: 1, crowd: true }]]);
    expect(detections).toEqual([{ image: 0, category: 3, box: [1, 2, 3, 6], score: 0.5 }]);
    expect(truths).toEqual([{ image: 1, category: 1, box: [0, 0, 2, 2], crowd: true }]);
  });
});

describe('evaluateDetections', () => {
  it('reports COCO mAP and Ultralytics P/R at the best-F1 confidence for the hand-worked image', () => {
    const result = evaluateDetections([DETECTIONS], [TRUTHS], { f1Smoothing: 0 });
    expect(result.images).toBe(1);
    expect(result.instances).toBe(3);
    expect(result.map50).toBeCloseTo((cocoLow + 1) / 2, 10);
    expect(result.map).toBeCloseTo((cocoClass0 + 1) / 2, 10);
    expect(result.map75).toBeCloseTo((cocoLow + 1) / 2, 10);
    expect(result.confidence).toBe(at(599));
    expect(result.precision).toBeCloseTo(5 / 6, 12);
    expect(result.recall).toBeCloseTo(1, 12);
    expect(result.f1).toBeCloseTo(0.9, 12);
    expect(result.classes).toEqual([
      expect.objectContaining({ cls: 0, images: 1, instances: 2, predictions: 3, ap: expect.closeTo(cocoClass0, 10), ap50: expect.closeTo(cocoLow, 10), recall: expect.closeTo(1, 12) }),
      expect.objectContaining({ cls: 1, images: 1, instances: 1, predictions: 2, ap: expect.closeTo(1, 10), precision: 1, bestConfidence: at(599) }),
    ]);
    expect(result.confusion.matrix).toEqual([
      [2, 0, 1],
      [0, 1, 1],
      [0, 0, 0],
    ]);
    // Ultralytics' own AP of the same image: see ap-per-class.spec.ts.
    expect(result.ultralytics.map50).toBeCloseTo((0.01 * (49 + 5 / 6 + (49 * 2) / 3 + 1 / 3) + 0.995) / 2, 12);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('honours crowd truths in COCO and leaves them out of the P/R counts', () => {
    const truths = [
      { box: [0, 0, 10, 10] as const, cls: 0 },
      { box: [50, 50, 90, 90] as const, cls: 0, crowd: true },
    ];
    const detections = [
      { box: [0, 0, 10, 10] as const, score: 0.9, cls: 0 },
      { box: [55, 55, 65, 65] as const, score: 0.95, cls: 0 }, // inside the crowd: ignored by COCO, a FP here
    ];
    const result = evaluateDetections([detections], [truths], { f1Smoothing: 0, numClasses: 1 });
    expect(result.map).toBeCloseTo(1, 12);
    expect(result.instances).toBe(1);
    expect(result.classes[0]?.precision).toBeCloseTo(0.5, 12);
    expect(result.confusion.matrix).toEqual([
      [1, 1],
      [0, 0],
    ]);
  });

  it('evaluates a full validation of 1,000 images x 300 detections (no argument spread of every detection)', () => {
    // 300k detections: Math.max(...all classes) used to overflow the call stack here.
    const truths = Array.from({ length: 1000 }, (_, i) => [{ box: [10, 10, 30, 30] as const, cls: i % 16 }]);
    const detections = truths.map((list) => Array.from({ length: 300 }, (_, k) => ({ box: [10 + (k % 7), 10, 30, 30] as const, score: 1 - k / 300, cls: list[0]!.cls })));
    const result = evaluateDetections(detections, truths);
    expect(result.classes).toHaveLength(16);
    expect(result.map50).toBeCloseTo(1, 6);
  });

  it("files a truth under small / medium / large by its COCO area when it has one, as pycocotools does, else by its box", () => {
    // A 10 x 10 box (100 px^2: small by its box) whose segment area is 2000 (medium: 32^2..96^2).
    const detections = [[{ box: [0, 0, 10, 10] as const, score: 0.9, cls: 0 }]];
    const byArea = evaluateDetections(detections, [[{ box: [0, 0, 10, 10] as const, cls: 0, area: 2000 }]], { numClasses: 1 });
    expect([byArea.coco.mapSmall, byArea.coco.mapLarge]).toEqual([-1, -1]);
    expect(byArea.coco.mapMedium).toBeCloseTo(1, 12);
    const byBox = evaluateDetections(detections, [[{ box: [0, 0, 10, 10] as const, cls: 0 }]], { numClasses: 1 });
    expect([byBox.coco.mapMedium, byBox.coco.mapLarge]).toEqual([-1, -1]);
    expect(byBox.coco.mapSmall).toBeCloseTo(1, 12);
    expect(toCocoInputs([[]], [[{ box: [0, 0, 10, 10], cls: 0, area: 2000 }]]).truths[0]).toEqual({ image: 0, category: 0, box: [0, 0, 10, 10], area: 2000 });
  });

  it('needs as many images of detections as of truths', () => {
    expect(() => evaluateDetections([[]], [])).toThrow('1 images of detections but 0 of ground truth');
  });
});
