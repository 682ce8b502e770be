import { buildTargets, type LevelTargets, type TargetMatching, type YoloTargets } from './build-targets.js';

function targets(...rows: number[][]): YoloTargets {
  return { rows: Float32Array.from(rows.flat()), count: rows.length };
}

/** One level, one anchor of `anchor` grid units, nc classes. */
function matching(anchor: [number, number] = [2, 2], numClasses = 2, anchorT = 4): TargetMatching {
  return { numClasses, anchors: [[anchor]], anchorT };
}

function cells(level: LevelTargets): [number, number][] {
  return Array.from(level.gridX, (gi, k) => [gi, level.gridY[k] as number]);
}

const grid6 = { batch: 1, height: 6, width: 6 };

describe('buildTargets', () => {
  it('matches only the own cell when the centre sits exactly mid-cell (fraction 0.5 is not < 0.5)', () => {
    // cx = cy = 0.625 on a 4x4 grid -> gxy = (2.5, 2.5); w = 0.25, h = 0.5 -> gwh = (1, 2); anchor (2, 2): r = (0.5, 1) -> worst 2 < 4.
    const [level] = buildTargets(targets([0, 1, 0.625, 0.625, 0.25, 0.5]), [{ batch: 1, height: 4, width: 4 }], matching());
    expect(level?.count).toBe(1);
    expect(cells(level as LevelTargets)).toEqual([[2, 2]]);
    expect(Array.from(level?.box ?? [])).toEqual([0.5, 0.5, 1, 2]);
    expect(Array.from(level?.anchorSize ?? [])).toEqual([2, 2]);
    expect(Array.from(level?.cls ?? [])).toEqual([1]);
  });

  it('adds the neighbours whose shared edge is within half a cell: fraction (0.3, 0.7) -> own, left, below', () => {
    // On a 6x6 grid: gx = 2.3 (fraction 0.3 < 0.5, gx > 1 -> j: left cell x = trunc(2.3 - 0.5) = 1);
    // gy = 2.7 (fraction 0.7 -> no k); gxi = 6 - 2.3 = 3.7 (0.7 -> no l); gyi = 3.3 (0.3 < 0.5, > 1 -> m: below, y = trunc(2.7 + 0.5) = 3).
    const [level] = buildTargets(targets([0, 0, 2.3 / 6, 2.7 / 6, 2 / 6, 2 / 6]), [grid6], matching());
    const l = level as LevelTargets;
    expect(l.count).toBe(3);
    // Offset-major order: own cell, then j, then m.
    expect(cells(l)).toEqual([
      [2, 2],
      [1, 2],
      [2, 3],
    ]);
    // tbox xy = gxy - cell: (0.3, 0.7), (1.3, 0.7), (0.3, -0.3); all three share w, h = 2.
    const box = Array.from(l.box);
    const expected = [0.3, 0.7, 2, 2, 1.3, 0.7, 2, 2, 0.3, -0.3, 2, 2];
    expected.forEach((value, i) => expect(box[i]).toBeCloseTo(value, 5));
  });

  it('matches the cell above and to the right for fraction (0.7, 0.3)', () => {
    const [level] = buildTargets(targets([0, 0, 3.7 / 6, 3.2 / 6, 2 / 6, 2 / 6]), [grid6], matching());
    // k (y fraction 0.2 < 0.5 -> y = 2) comes before l (x from the right 2.3 -> fraction 0.3 -> x = 4).
    expect(cells(level as LevelTargets)).toEqual([
      [3, 3],
      [3, 2],
      [4, 3],
    ]);
  });

  it('adds no neighbour across the grid border (gxy > 1 and gxi > 1 are required)', () => {
    // gx = 0.3 (fraction < 0.5 but gx < 1: no left); gy = 5.7 -> gyi = 0.3 < 1: no below.
    const [level] = buildTargets(targets([0, 0, 0.3 / 6, 5.7 / 6, 2 / 6, 2 / 6]), [grid6], matching());
    expect(cells(level as LevelTargets)).toEqual([[0, 5]]);
  });

  it('drops a target whose w or h ratio to the anchor reaches anchor_t (max(r, 1/r) < 4 is strict)', () => {
    // Anchor (1, 1) on a 4x4 grid. w = 1.0 -> gw = 4 -> r = 4: dropped. h = 1/16 -> gh = 0.25 -> 1/r = 4: dropped.
    // w = 0.99 -> r = 3.96: kept.
    const rows = targets([0, 0, 0.5, 0.5, 1.0, 0.25], [0, 0, 0.5, 0.5, 0.25, 1 / 16], [0, 1, 0.625, 0.625, 0.99, 0.25]);
    const [level] = buildTargets(rows, [{ batch: 1, height: 4, width: 4 }], matching([1, 1]));
    expect(level?.count).toBe(1);
    expect(Array.from(level?.targetIndex ?? [])).toEqual([2]);
    // With anchor_t = 5 the first two match too.
    const [looser] = buildTargets(rows, [{ batch: 1, height: 4, width: 4 }], matching([1, 1], 2, 5));
    expect(new Set(looser?.targetIndex).size).toBe(3);
  });

  it('orders matches offset-major, then anchor, then target, as upstream t.repeat((5,1,1))[j] does', () => {
    const m: TargetMatching = { numClasses: 1, anchors: [[[2, 2], [3, 3]]], anchorT: 4 };
    // 8x8 grid (exact binary fractions). Target 0 at gxy (2.25, 2.5) has only a left neighbour; target 1 at
    // (3.5, 3.5) has none. gwh = (2, 2) fits both anchors (ratios 1 and 1.5).
    const rows = targets([0, 0, 2.25 / 8, 2.5 / 8, 0.25, 0.25], [0, 0, 3.5 / 8, 3.5 / 8, 0.25, 0.25]);
    const [level] = buildTargets(rows, [{ batch: 1, height: 8, width: 8 }], m);
    const order = Array.from(level?.targetIndex ?? [], (t, k) => [t, level?.anchor[k], level?.gridX[k]]);
    expect(order).toEqual([
      [0, 0, 2],
      [1, 0, 3],
      [0, 1, 2],
      [1, 1, 3],
      [0, 0, 1],
      [0, 1, 1],
    ]);
    expect(Array.from(level?.anchorSize ?? [])).toEqual([2, 2, 2, 2, 3, 3, 3, 3, 2, 2, 3, 3]);
  });

  it('clamps a centre on the far edge into the last cell and measures tbox from that cell', () => {
    // cx = 1.0 -> gx = 4 -> gi = 4 -> clamped to 3; upstream's in-place clamp_ also changes the gij tbox reads -> tx = 1.
    const [level] = buildTargets(targets([0, 0, 1.0, 0.625, 0.5, 0.5]), [{ batch: 1, height: 4, width: 4 }], matching());
    expect(cells(level as LevelTargets)[0]).toEqual([3, 2]);
    expect(level?.box[0]).toBe(1);
  });

  it('scales x by the grid width and y by its height on non-square grids', () => {
    const [level] = buildTargets(targets([0, 0, 0.5, 0.5, 0.25, 0.5]), [{ batch: 1, height: 4, width: 8 }], matching());
    expect(cells(level as LevelTargets)[0]).toEqual([4, 2]);
    expect(Array.from(level?.box ?? []).slice(2, 4)).toEqual([2, 2]);
  });

  it('returns no matches for no targets, and per level for several levels', () => {
    const m: TargetMatching = { numClasses: 2, anchors: [[[2, 2]], [[1, 1]]], anchorT: 4 };
    const levels = buildTargets(targets(), [grid6, { batch: 1, height: 3, width: 3 }], m);
    expect(levels.map((l) => l.count)).toEqual([0, 0]);
  });

  it('names the bad row for an image index outside the batch or a class outside 0..nc-1', () => {
    expect(() => buildTargets(targets([1, 0, 0.5, 0.5, 0.2, 0.2]), [grid6], matching())).toThrow(/target 0 has image index 1; the batch holds 1 images/);
    expect(() => buildTargets(targets([0, 0, 0.5, 0.5, 0.2, 0.2], [0, 2, 0.5, 0.5, 0.2, 0.2]), [grid6], matching())).toThrow(
      /target 1 has class 2; expected 0..1/,
    );
    expect(() => buildTargets({ rows: new Float32Array(5), count: 1 }, [grid6], matching())).toThrow(/1 targets need 6 numbers/);
  });
});
