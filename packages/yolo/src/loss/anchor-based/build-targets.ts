/**
 * `ComputeLoss.build_targets` of ultralytics/yolov5 in plain TypeScript: ground truth is data, not a
 * differentiable input, so matching targets to anchors and grid cells is index bookkeeping. Arithmetic
 * is rounded to float32 (`Math.fround`) where upstream computes in float32 tensors, so that the
 * boundary tests (`% 1 < 0.5`, `r < anchor_t`) decide as upstream does.
 */

/** Ground-truth boxes of a batch: `count` rows of [imageIndex, class, cx, cy, w, h], box normalised to 0..1. */
export interface YoloTargets {
  readonly rows: Float32Array;
  readonly count: number;
}

/** The size of one level's prediction grid. */
export interface LevelGrid {
  readonly batch: number;
  readonly height: number;
  readonly width: number;
}

/** The matches of one level: `count` (target, anchor, cell) triples, in upstream's order. */
export interface LevelTargets {
  readonly count: number;
  readonly image: Int32Array;
  readonly anchor: Int32Array;
  /** Cell row (`gj`) and column (`gi`), clamped to the grid. */
  readonly gridY: Int32Array;
  readonly gridX: Int32Array;
  readonly cls: Int32Array;
  /** `count` x 4: target centre relative to the (clamped) cell's corner, then w, h; grid units (`tbox`). */
  readonly box: Float32Array;
  /** `count` x 2: the matched anchor's w, h in grid units (`anch`). */
  readonly anchorSize: Float32Array;
  /** For each match, the target row it came from (not used by the loss; for inspection and tests). */
  readonly targetIndex: Int32Array;
}

/** What target building needs from the loss config. */
export interface TargetMatching {
  readonly numClasses: number;
  /** Per level, per anchor, [w, h] in grid units. */
  readonly anchors: readonly (readonly (readonly [number, number])[])[];
  readonly anchorT: number;
}

/** Offsets the centre is moved by (`off * g`, g = 0.5): none, then the j, k, l, m neighbours. */
const NEIGHBOUR_OFFSETS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0.5, 0], // j: the cell to the left, when x's fraction < 0.5
  [0, 0.5], // k: the cell above, when y's fraction < 0.5
  [-0.5, 0], // l: the cell to the right, when the fraction from the right edge < 0.5
  [0, -0.5], // m: the cell below
];
const G = 0.5;
const f32 = Math.fround;

/** Python's `x % 1` (non-negative for any finite x). */
function fraction(x: number): number {
  return x - Math.floor(x);
}

/** `(gxy % 1 < g) & (gxy > 1)` of build_targets. */
function nearLowEdge(value: number): boolean {
  return fraction(value) < G && value > 1;
}

/** Checks the target rows against the batch and class count; upstream would fail on an index error later. */
export function checkTargets(targets: YoloTargets, batch: number, numClasses: number): void {
  const { rows, count } = targets;
  if (!Number.isInteger(count) || count < 0) throw new Error(`yolov5 loss: target count must be a non-negative integer, got ${count}`);
  if (rows.length < count * 6) {
    throw new Error(`yolov5 loss: ${count} targets need ${count * 6} numbers (rows of [image, class, cx, cy, w, h]) but the array holds ${rows.length}`);
  }
  for (let t = 0; t < count; t++) {
    const image = Math.trunc(rows[t * 6] as number);
    const cls = Math.trunc(rows[t * 6 + 1] as number);
    if (!(image >= 0 && image < batch)) throw new Error(`yolov5 loss: target ${t} has image index ${rows[t * 6]}; the batch holds ${batch} images`);
    if (!(cls >= 0 && cls < numClasses)) throw new Error(`yolov5 loss: target ${t} has class ${rows[t * 6 + 1]}; expected 0..${numClasses - 1}`);
  }
}

interface Candidate {
  readonly target: number;
  readonly anchor: number;
  readonly gx: number;
  readonly gy: number;
  readonly gw: number;
  readonly gh: number;
}

/** Step 1: every (anchor, target) pair whose w and h ratios are within anchorT, anchor-major as `t[j]` is. */
function matchAnchors(targets: YoloTargets, grid: LevelGrid, anchors: readonly (readonly [number, number])[], anchorT: number): Candidate[] {
  const { rows, count } = targets;
  const candidates: Candidate[] = [];
  anchors.forEach(([aw, ah], anchor) => {
    for (let t = 0; t < count; t++) {
      const gw = f32((rows[t * 6 + 4] as number) * grid.width);
      const gh = f32((rows[t * 6 + 5] as number) * grid.height);
      const rw = f32(gw / aw);
      const rh = f32(gh / ah);
      const worst = Math.max(rw, f32(1 / rw), rh, f32(1 / rh));
      if (!(worst < anchorT)) continue;
      const gx = f32((rows[t * 6 + 2] as number) * grid.width);
      const gy = f32((rows[t * 6 + 3] as number) * grid.height);
      candidates.push({ target: t, anchor, gx, gy, gw, gh });
    }
  });
  return candidates;
}

/** Step 2: the five offsets, offset-major (`t.repeat((5, 1, 1))[j]`), each applied where its condition holds. */
function levelTargets(
  targets: YoloTargets,
  grid: LevelGrid,
  anchors: readonly (readonly [number, number])[],
  candidates: readonly Candidate[],
): LevelTargets {
  // Per candidate, whether each offset applies: own cell, j, k, then l, m measured from the far edge (gxi = nx - gx).
  const applies = candidates.map(({ gx, gy }) => [
    true,
    nearLowEdge(gx),
    nearLowEdge(gy),
    nearLowEdge(f32(grid.width - gx)),
    nearLowEdge(f32(grid.height - gy)),
  ]);
  const picked: { candidate: Candidate; offset: readonly [number, number] }[] = [];
  NEIGHBOUR_OFFSETS.forEach((offset, o) => {
    candidates.forEach((candidate, c) => {
      if (applies[c]?.[o]) picked.push({ candidate, offset });
    });
  });
  const n = picked.length;
  const out = {
    count: n,
    image: new Int32Array(n),
    anchor: new Int32Array(n),
    gridY: new Int32Array(n),
    gridX: new Int32Array(n),
    cls: new Int32Array(n),
    box: new Float32Array(n * 4),
    anchorSize: new Float32Array(n * 2),
    targetIndex: new Int32Array(n),
  };
  picked.forEach(({ candidate, offset }, k) => {
    const { target, gx, gy, gw, gh } = candidate;
    // `.long()` truncates toward zero; `clamp_` on the views of gij also changes the gij that tbox reads.
    const gi = Math.min(Math.max(Math.trunc(f32(gx - offset[0])), 0), grid.width - 1);
    const gj = Math.min(Math.max(Math.trunc(f32(gy - offset[1])), 0), grid.height - 1);
    out.image[k] = Math.trunc(targets.rows[target * 6] as number);
    out.cls[k] = Math.trunc(targets.rows[target * 6 + 1] as number);
    out.anchor[k] = candidate.anchor;
    out.gridX[k] = gi;
    out.gridY[k] = gj;
    out.box.set([gx - gi, gy - gj, gw, gh], k * 4);
    out.anchorSize.set(anchors[candidate.anchor] ?? [0, 0], k * 2);
    out.targetIndex[k] = target;
  });
  return out;
}

/**
 * Matches `targets` to every level: anchors whose shape ratio is within `anchorT` (max(r, 1/r) < anchorT),
 * then the target's own cell plus the up to two neighbouring cells whose shared edge is within half a cell
 * of the centre (and not at the border). Matches are ordered as upstream orders them:
 * offset-major, then anchor, then target.
 */
export function buildTargets(targets: YoloTargets, grids: readonly LevelGrid[], matching: TargetMatching): LevelTargets[] {
  if (grids.length !== matching.anchors.length) {
    throw new Error(`yolov5 loss: ${grids.length} prediction levels but anchors for ${matching.anchors.length}`);
  }
  for (const grid of grids) checkTargets(targets, grid.batch, matching.numClasses);
  return grids.map((grid, i) => {
    const anchors = matching.anchors[i] ?? [];
    return levelTargets(targets, grid, anchors, matchAnchors(targets, grid, anchors, matching.anchorT));
  });
}
