import { buildTargets, type YoloTargets } from '@yolo-distill/yolo';
import { simOtaAssign } from './sim-ota-assign.js';

// One level, 4 x 4 grid at stride 8 (a 32 x 32 image), one anchor of 1 x 1 cells, two classes.
const grids = [{ batch: 2, height: 4, width: 4 }];
const matching = { numClasses: 2, anchors: [[[1, 1] as const]], anchorT: 4 };

describe('simOtaAssign (ComputeLossOTA.build_targets)', () => {
  it('keeps, of find_3_positive\'s three candidates, the one whose predicted box overlaps the gt best (k = 1)', () => {
    // A gt at (1.6, 1.6) cells, 1 x 1: candidates are its cell (1, 1) and the neighbours right (2, 1) and below (1, 2).
    const targets: YoloTargets = { rows: Float32Array.from([1, 1, 0.4, 0.4, 0.25, 0.25]), count: 1 };
    const candidates = buildTargets(targets, grids, matching);
    expect(candidates[0]!.count).toBe(3);
    // Raw predictions 0: every box is the anchor (1 x 1) centred in its cell, so the IoUs are 0.68, 0.047, 0.047:
    // their sum is below 1, so k = 1; the classes cost the same everywhere, the IoU decides.
    const predictions = [new Float32Array(3 * 7)];
    const [kept] = simOtaAssign({ candidates, predictions, grids, strides: [8], targets, numClasses: 2, imageHeight: 32, imageWidth: 32 });
    expect(kept!.count).toBe(1);
    expect({ image: kept!.image[0], x: kept!.gridX[0], y: kept!.gridY[0], cls: kept!.cls[0] }).toEqual({ image: 1, x: 1, y: 1, cls: 1 });
    expect(Array.from(kept!.box).map((v) => Number(v.toFixed(5)))).toEqual([0.6, 0.6, 1, 1]);
    expect(Array.from(kept!.anchorSize)).toEqual([1, 1]);
  });

  it("lets a gt take a neighbour's candidate when its predicted box is better, and gives nothing to images without gts", () => {
    const targets: YoloTargets = { rows: Float32Array.from([0, 0, 0.4, 0.4, 0.25, 0.25]), count: 1 };
    const candidates = buildTargets(targets, grids, matching);
    const order = Array.from({ length: candidates[0]!.count }, (_, k) => `${candidates[0]!.gridX[k]},${candidates[0]!.gridY[k]}`);
    const right = order.indexOf('2,1');
    const predictions = [new Float32Array(3 * 7)];
    // The right neighbour predicts x = (sigmoid(-3) * 2 - 0.5 + 2) = 1.595 cells: almost the gt's 1.6.
    predictions[0]![right * 7] = -3;
    // and the own cell predicts x = 1 + (sigmoid(3) * 2 - 0.5) = 2.405: far off.
    predictions[0]![order.indexOf('1,1') * 7] = 3;
    const [kept] = simOtaAssign({ candidates, predictions, grids, strides: [8], targets, numClasses: 2, imageHeight: 32, imageWidth: 32 });
    expect(kept!.count).toBe(1);
    expect([kept!.gridX[0], kept!.gridY[0], kept!.image[0]]).toEqual([2, 1, 0]);
    // The box is relative to the candidate's cell: 1.6 - 2 = -0.4.
    expect(Number(kept!.box[0]!.toFixed(5))).toBe(-0.4);
  });
});
