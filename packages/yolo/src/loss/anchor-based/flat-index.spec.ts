import type { LevelTargets } from './build-targets.js';
import { objectnessSlots, predictionRows } from './flat-index.js';

function matches(image: number[], anchor: number[], gridY: number[], gridX: number[]): LevelTargets {
  const n = image.length;
  return {
    count: n,
    image: Int32Array.from(image),
    anchor: Int32Array.from(anchor),
    gridY: Int32Array.from(gridY),
    gridX: Int32Array.from(gridX),
    cls: new Int32Array(n),
    box: new Float32Array(n * 4),
    anchorSize: new Float32Array(n * 2),
    targetIndex: new Int32Array(n),
  };
}

describe('predictionRows', () => {
  it('indexes [B*H*W*na, no] rows in image, y, x, anchor order', () => {
    // B = 2, H = 3, W = 4, na = 3: row = ((b*3 + gj)*4 + gi)*3 + a.
    const rows = predictionRows(matches([0, 1, 1], [2, 0, 1], [0, 2, 1], [1, 3, 0]), { batch: 2, height: 3, width: 4 }, 3);
    expect(Array.from(rows)).toEqual([(0 * 4 + 1) * 3 + 2, ((3 + 2) * 4 + 3) * 3 + 0, ((3 + 1) * 4 + 0) * 3 + 1]);
  });
});

describe('objectnessSlots', () => {
  it('points each matched row at 1 + its match, the last match winning a shared row', () => {
    expect(Array.from(objectnessSlots(Int32Array.from([4, 1, 4]), 6))).toEqual([0, 2, 0, 0, 3, 0]);
  });
});
