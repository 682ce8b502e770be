import { classCost, dynamicKMatching, iouCost } from './dynamic-k-matching.js';

describe('dynamic-k matching (ComputeLossOTA.build_targets)', () => {
  it('gives each gt k = max(1, int(sum of its top-10 IoUs)) of its cheapest candidates', () => {
    // gt 0: IoUs sum to 1.9 -> k = 1: the cheapest, candidate 2. gt 1: 0.9 + 0.8 + 0.7 = 2.4 -> k = 2: candidates 3 and 0.
    const iou = Float64Array.from([0.9, 0.8, 0.2, 0, 0.7, 0, 0.9, 0.8]);
    const cost = Float64Array.from([5, 4, 1, 9, 2, 8, 7, 1]);
    expect(Array.from(dynamicKMatching(cost, iou, 2, 4))).toEqual([1, -1, 0, 1]);
  });

  it('gives a candidate taken by two gts to the cheaper one, and keeps k >= 1 when all IoUs are small', () => {
    const iou = Float64Array.from([0.1, 0.05, 0.2, 0.1]);
    const cost = Float64Array.from([3, 6, 2, 1]);
    // Both gts take their cheapest: gt 0 -> candidate 0, gt 1 -> candidate 1; no conflict.
    expect(Array.from(dynamicKMatching(cost, iou, 2, 2))).toEqual([0, 1]);
    // Both take candidate 0; gt 1 is cheaper there (2 < 3).
    const conflict = Float64Array.from([3, 6, 2, 7]);
    expect(Array.from(dynamicKMatching(conflict, iou, 2, 2))).toEqual([1, -1]);
  });

  it('caps the IoU sum at the ten largest', () => {
    const n = 12;
    const iou = new Float64Array(n).fill(0.25); // ten of them sum to 2.5 -> k = 2
    const cost = Float64Array.from({ length: n }, (_, c) => n - c);
    expect(Array.from(dynamicKMatching(cost, iou, 1, n)).filter((g) => g === 0)).toHaveLength(2);
  });

  it('refuses matrices of the wrong size', () => {
    expect(() => dynamicKMatching(new Float64Array(3), new Float64Array(4), 2, 2)).toThrow('dynamic-k matching: cost and iou must hold 2 x 2 values, found 3 and 4');
  });
});

describe('the OTA costs', () => {
  it('iou cost is -log(iou + 1e-8)', () => {
    expect(iouCost(1)).toBeCloseTo(0, 7);
    expect(iouCost(Math.exp(-2))).toBeCloseTo(2, 6);
  });

  it("class cost equals the sum over classes of BCE(sqrt(sigmoid(cls) * sigmoid(obj)), one-hot), summed directly", () => {
    const cls = [0.3, -1.2, 2.0];
    const obj = 0.7;
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    const y = cls.map((x) => Math.sqrt(sig(x) * sig(obj)));
    const direct = (g: number) => y.reduce((sum, v, c) => sum - (c === g ? Math.log(v) : Math.log(1 - v)), 0);
    const cost = classCost(cls, obj);
    for (const g of [0, 1, 2]) expect(cost(g)).toBeCloseTo(direct(g), 10);
  });
});
