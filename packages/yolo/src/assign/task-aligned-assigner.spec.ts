import { TaskAlignedAssigner, type AssignerInput } from './task-aligned-assigner.js';

/** One image, one class-1 gt (0,0)-(8,8), five anchors; predictions chosen so CIoU = IoU (concentric, square). */
function oneGtCase(): AssignerInput {
  return {
    batchSize: 1,
    numAnchors: 5,
    maxBoxes: 1,
    anchorPoints: new Float32Array([2, 2, 6, 2, 2, 6, 6, 6, 10, 10]), // the last lies outside the gt
    predBoxes: new Float32Array([
      1, 1, 7, 7, // IoU 36/64
      2, 2, 6, 6, // IoU 16/64
      20, 20, 24, 24, // disjoint: CIoU < 0, clamped to 0
      0, 0, 8, 8, // IoU 1
      0, 0, 8, 8, // IoU 1, but its centre is outside the gt
    ]),
    // [A, nc = 2]; the gt's class is 1
    predScores: new Float32Array([0.3, 0.81, 0.5, 1.0, 0.5, 0.64, 0.5, 0.0001, 0.5, 1.0]),
    gtLabels: new Int32Array([1]),
    gtBoxes: new Float32Array([0, 0, 8, 8]),
    gtMask: new Uint8Array([1]),
  };
}

// align = score^0.5 * IoU^6 for the candidates a0..a3
const align = [0.9 * (36 / 64) ** 6, 1.0 * (16 / 64) ** 6, 0, 0.01 * 1];

describe('TaskAlignedAssigner', () => {
  it('keeps the top-k candidates by score^0.5 * IoU^6 and normalises target scores by hand', () => {
    const result = new TaskAlignedAssigner({ numClasses: 2, topk: 2 }).assign(oneGtCase());
    // a0 (0.0285) and a3 (0.01) beat a1 (0.000244) and a2 (0); a4 is not a candidate despite score 1, IoU 1.
    expect(Array.from(result.fgMask)).toEqual([1, 0, 0, 1, 0]);
    // target = align * (max IoU among positives = 1) / (max align among positives = align[0])
    const scores = Array.from(result.targetScores);
    expect(scores[0]).toBe(0);
    expect(scores[1]).toBeCloseTo(1, 5);
    expect(scores[7]).toBeCloseTo((align[3] as number) / (align[0] as number), 5);
    expect(scores.filter((_, i) => i !== 1 && i !== 7).every((s) => s === 0)).toBe(true);
    expect(Array.from(result.targetLabels)).toEqual([1, 1, 1, 1, 1]); // background takes gt 0's class, as upstream
    expect(Array.from(result.targetGtIndex)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(result.targetBoxes.subarray(12, 16))).toEqual([0, 0, 8, 8]);
  });

  it('with a larger k, takes the weaker candidates too, each scaled by the best IoU / best metric', () => {
    const result = new TaskAlignedAssigner({ numClasses: 2, topk: 4 }).assign(oneGtCase());
    expect(Array.from(result.fgMask)).toEqual([1, 1, 1, 1, 0]); // a2 joins with metric 0 (top-k includes zeros)
    expect(result.targetScores[3]).toBeCloseTo((align[1] as number) / (align[0] as number), 5);
    expect(result.targetScores[5]).toBe(0);
  });

  it('gives an anchor claimed by two gts to the one its prediction overlaps most', () => {
    const input: AssignerInput = {
      batchSize: 1,
      numAnchors: 3,
      maxBoxes: 2,
      anchorPoints: new Float32Array([2, 4, 6, 4, 10, 4]), // a1 lies inside both gts
      predBoxes: new Float32Array([0, 0, 8, 8, 4, 0, 12, 8, 4, 0, 12, 8]),
      predScores: new Float32Array(6).fill(1),
      gtLabels: new Int32Array([0, 1]),
      gtBoxes: new Float32Array([0, 0, 8, 8, 4, 0, 12, 8]),
      gtMask: new Uint8Array([1, 1]),
    };
    const result = new TaskAlignedAssigner({ numClasses: 2 }).assign(input);
    expect(Array.from(result.fgMask)).toEqual([1, 1, 1]);
    expect(Array.from(result.targetGtIndex)).toEqual([0, 1, 1]);
    expect(Array.from(result.targetLabels)).toEqual([0, 1, 1]);
    expect(Array.from(result.targetBoxes.subarray(4, 8))).toEqual([4, 0, 12, 8]);
    // every positive has IoU 1 with its own gt, so each gt's best metric and best IoU are 1
    expect(result.targetScores[0]).toBeCloseTo(1, 5);
    expect(result.targetScores[3]).toBeCloseTo(1, 5);
    expect(result.targetScores[5]).toBeCloseTo(1, 5);
  });

  it('ignores padded gts, and handles images without any gt', () => {
    const input: AssignerInput = {
      batchSize: 2,
      numAnchors: 2,
      maxBoxes: 1,
      anchorPoints: new Float32Array([2, 2, 6, 6]),
      predBoxes: new Float32Array([0, 0, 4, 4, 4, 4, 8, 8, 0, 0, 4, 4, 4, 4, 8, 8]),
      predScores: new Float32Array(4).fill(0.5),
      gtLabels: new Int32Array([0, 0]),
      gtBoxes: new Float32Array([0, 0, 4, 4, 0, 0, 0, 0]),
      gtMask: new Uint8Array([1, 0]),
    };
    const result = new TaskAlignedAssigner({ numClasses: 1 }).assign(input);
    expect(Array.from(result.fgMask)).toEqual([1, 0, 0, 0]);
    const none = new TaskAlignedAssigner({ numClasses: 3 }).assign({ ...input, maxBoxes: 0, gtLabels: [], gtBoxes: new Float32Array(0), gtMask: [], predScores: new Float32Array(12) });
    expect(Array.from(none.fgMask)).toEqual([0, 0, 0, 0]);
    expect(Array.from(none.targetLabels)).toEqual([3, 3, 3, 3]); // upstream's background index
  });

  it('widens gt sides below minCandidateSide about the centre when picking candidates (STAL)', () => {
    const input: AssignerInput = {
      batchSize: 1,
      numAnchors: 2,
      maxBoxes: 1,
      anchorPoints: new Float32Array([4, 4, 20, 4]),
      predBoxes: new Float32Array([5, 5, 7, 7, 5, 5, 7, 7]),
      predScores: new Float32Array([1, 1]),
      gtLabels: new Int32Array([0]),
      gtBoxes: new Float32Array([5, 5, 7, 7]), // 2 x 2, no anchor centre inside
      gtMask: new Uint8Array([1]),
    };
    expect(Array.from(new TaskAlignedAssigner({ numClasses: 1 }).assign(input).fgMask)).toEqual([0, 0]);
    const widened = new TaskAlignedAssigner({ numClasses: 1, minCandidateSide: 16 }).assign(input);
    expect(Array.from(widened.fgMask)).toEqual([1, 0]); // (-2,-2)-(14,14) holds (4,4), not (20,4)
    expect(Array.from(widened.targetBoxes.subarray(0, 4))).toEqual([5, 5, 7, 7]); // targets keep the real box
  });

  it('names the bad input', () => {
    const assigner = new TaskAlignedAssigner({ numClasses: 2 });
    expect(() => assigner.assign({ ...oneGtCase(), predScores: new Float32Array(3) })).toThrow(/predScores has 3 values, expected 10 \(\[1, 5, 2\]\)/);
    expect(() => assigner.assign({ ...oneGtCase(), gtLabels: new Int32Array([2]) })).toThrow(/class 2, expected an integer in 0\.\.1/);
  });
});
