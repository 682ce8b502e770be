import { pairCIoU } from './pair-ciou.js';
import { topKIndices } from './top-k.js';

export interface TaskAlignedAssignerOptions {
  readonly numClasses: number;
  /** Candidates kept per ground truth (v8's `tal_topk`, 10; the upstream class default is 13). */
  readonly topk?: number;
  /** Exponent of the class score in the alignment metric (v8: 0.5). */
  readonly alpha?: number;
  /** Exponent of the CIoU in the alignment metric (6). */
  readonly beta?: number;
  readonly eps?: number;
  /**
   * Ground-truth sides shorter than this are widened to it, about the box centre, when choosing
   * the anchors whose centres lie inside the box (Ultralytics 8.4's small-target-aware assignment:
   * `v8DetectionLoss` passes `stride[1]`, 16 px). Only candidate selection sees the widened box.
   * 0 (default) keeps the plain "anchor centre inside the box" rule.
   */
  readonly minCandidateSide?: number;
}

/**
 * What the assigner reads, flat and row-major. Boxes are xyxy in the units of `anchorPoints`
 * (pixels in the v8 loss); ground truths are padded to `maxBoxes` per image, `gtMask` marks real ones.
 */
export interface AssignerInput {
  readonly batchSize: number;
  readonly numAnchors: number;
  readonly maxBoxes: number;
  /** [B, A, nc] class probabilities (after sigmoid), detached. */
  readonly predScores: Float32Array;
  /** [B, A, 4] predicted boxes, xyxy, detached. */
  readonly predBoxes: Float32Array;
  /** [A, 2] anchor centres (x, y). */
  readonly anchorPoints: Float32Array;
  /** [B, M] class index of each ground truth. */
  readonly gtLabels: ArrayLike<number>;
  /** [B, M, 4] ground-truth boxes, xyxy. */
  readonly gtBoxes: Float32Array;
  /** [B, M] non-zero for a real ground truth, 0 for padding. */
  readonly gtMask: ArrayLike<number>;
}

/** Per anchor: what it should predict. Background anchors have `fgMask` 0 and zero target scores. */
export interface Assignment {
  /** [B, A] class of the assigned ground truth (of ground truth 0 for background, as upstream). */
  readonly targetLabels: Int32Array;
  /** [B, A, 4] box of the assigned ground truth, xyxy. */
  readonly targetBoxes: Float32Array;
  /** [B, A, nc] one-hot of the class times the normalised alignment metric. */
  readonly targetScores: Float32Array;
  /** [B, A] 1 for a positive (foreground) anchor. */
  readonly fgMask: Uint8Array;
  /** [B, A] index (0..M-1) of the assigned ground truth within its image. */
  readonly targetGtIndex: Int32Array;
}

/** Per image, [M, A] each: the pair tables the steps pass along. */
interface PairTables {
  readonly inGts: Uint8Array;
  readonly overlaps: Float32Array;
  readonly align: Float32Array;
  readonly maskPos: Uint8Array;
}

/**
 * Task-aligned assignment (TOOD) as Ultralytics' `TaskAlignedAssigner` computes it: candidates are
 * anchors whose centre lies inside a ground truth; the alignment metric is
 * score^alpha * max(CIoU(gt, pred), 0)^beta; each ground truth keeps its top-k candidates; an anchor
 * claimed by several ground truths goes to the one it overlaps most; target scores are the one-hot
 * class times align * (max IoU of the gt's positives) / (max align of the gt's positives + eps).
 * Works on detached values in plain arrays; it is not differentiated.
 *
 * Ties in the top-k go to the lower anchor index (torch leaves their order unspecified); ties in
 * the overlap argmax go to the lower ground-truth index, as torch.argmax does.
 */
export class TaskAlignedAssigner {
  readonly numClasses: number;
  readonly topk: number;
  readonly alpha: number;
  readonly beta: number;
  readonly eps: number;
  readonly minCandidateSide: number;

  constructor(options: TaskAlignedAssignerOptions) {
    this.numClasses = options.numClasses;
    this.topk = options.topk ?? 10;
    this.alpha = options.alpha ?? 0.5;
    this.beta = options.beta ?? 6.0;
    this.eps = options.eps ?? 1e-9;
    this.minCandidateSide = options.minCandidateSide ?? 0;
    if (!Number.isInteger(this.numClasses) || this.numClasses < 1) throw new Error(`TaskAlignedAssigner: numClasses must be a positive integer, got ${this.numClasses}`);
    if (!Number.isInteger(this.topk) || this.topk < 1) throw new Error(`TaskAlignedAssigner: topk must be a positive integer, got ${this.topk}`);
  }

  assign(input: AssignerInput): Assignment {
    checkInput(input, this.numClasses);
    const { batchSize: B, numAnchors: A, maxBoxes: M } = input;
    const nc = this.numClasses;
    const result: Assignment = {
      targetLabels: new Int32Array(B * A),
      targetBoxes: new Float32Array(B * A * 4),
      targetScores: new Float32Array(B * A * nc),
      fgMask: new Uint8Array(B * A),
      targetGtIndex: new Int32Array(B * A),
    };
    if (M === 0) {
      result.targetLabels.fill(nc); // upstream's background index when there are no boxes at all
      return result;
    }
    for (let b = 0; b < B; b += 1) {
      const tables = this.positives(input, b);
      resolveMultipleGts(tables, M, A);
      this.writeTargets(input, b, tables, result);
    }
    return result;
  }

  /** Candidates, alignment metric, overlaps and the top-k positive mask of image `b`. */
  private positives(input: AssignerInput, b: number): PairTables {
    const { numAnchors: A, maxBoxes: M, anchorPoints, gtBoxes, predBoxes, predScores } = input;
    const nc = this.numClasses;
    const tables: PairTables = {
      inGts: new Uint8Array(M * A),
      overlaps: new Float32Array(M * A),
      align: new Float32Array(M * A),
      maskPos: new Uint8Array(M * A),
    };
    for (let m = 0; m < M; m += 1) {
      const gt = b * M + m;
      if (!input.gtMask[gt]) continue;
      const label = input.gtLabels[gt] as number;
      const [x1, y1, x2, y2] = this.candidateBox(gtBoxes, gt * 4);
      for (let a = 0; a < A; a += 1) {
        const ax = anchorPoints[a * 2] as number;
        const ay = anchorPoints[a * 2 + 1] as number;
        if (!(Math.min(ax - x1, ay - y1, x2 - ax, y2 - ay) > this.eps)) continue;
        const at = m * A + a;
        const overlap = Math.max(pairCIoU(gtBoxes, gt * 4, predBoxes, (b * A + a) * 4), 0);
        const score = predScores[(b * A + a) * nc + label] as number;
        tables.inGts[at] = 1;
        tables.overlaps[at] = overlap;
        tables.align[at] = score ** this.alpha * overlap ** this.beta;
      }
      // Top-k over all anchors of this gt (non-candidates have metric 0), then only candidates stay.
      for (const a of topKIndices(tables.align, m * A, A, this.topk)) {
        if (tables.inGts[m * A + a]) tables.maskPos[m * A + a] = 1;
      }
    }
    return tables;
  }

  /** The ground-truth box used to pick candidates: sides below `minCandidateSide` widened about the centre. */
  private candidateBox(boxes: Float32Array, at: number): [number, number, number, number] {
    const x1 = boxes[at] as number;
    const y1 = boxes[at + 1] as number;
    const x2 = boxes[at + 2] as number;
    const y2 = boxes[at + 3] as number;
    const side = this.minCandidateSide;
    if (side <= 0) return [x1, y1, x2, y2];
    const cx = (x1 + x2) / 2;
    const cy = (y1 + y2) / 2;
    const w = x2 - x1 < side ? side : x2 - x1;
    const h = y2 - y1 < side ? side : y2 - y1;
    return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
  }

  /** Labels, boxes, normalised scores, foreground mask and gt index of image `b`'s anchors. */
  private writeTargets(input: AssignerInput, b: number, tables: PairTables, out: Assignment): void {
    const { numAnchors: A, maxBoxes: M, gtBoxes, gtLabels } = input;
    const nc = this.numClasses;
    const { overlaps, align, maskPos } = tables;
    // Per gt: the largest alignment metric and the largest overlap among its positives.
    const posAlign = new Float64Array(M);
    const posOverlap = new Float64Array(M);
    for (let m = 0; m < M; m += 1) {
      for (let a = 0; a < A; a += 1) {
        if (!maskPos[m * A + a]) continue;
        posAlign[m] = Math.max(posAlign[m] as number, align[m * A + a] as number);
        posOverlap[m] = Math.max(posOverlap[m] as number, overlaps[m * A + a] as number);
      }
    }
    for (let a = 0; a < A; a += 1) {
      const anchor = b * A + a;
      let gtIndex = 0;
      let foreground = 0;
      let norm = 0;
      for (let m = 0; m < M; m += 1) {
        if (!maskPos[m * A + a]) continue;
        if (!foreground) gtIndex = m;
        foreground = 1;
        norm = Math.max(norm, ((align[m * A + a] as number) * (posOverlap[m] as number)) / ((posAlign[m] as number) + this.eps));
      }
      const gt = b * M + gtIndex;
      const label = Math.max(gtLabels[gt] as number, 0);
      out.targetGtIndex[anchor] = gtIndex;
      out.fgMask[anchor] = foreground;
      out.targetLabels[anchor] = label;
      out.targetBoxes.set(gtBoxes.subarray(gt * 4, gt * 4 + 4), anchor * 4);
      if (foreground) out.targetScores[anchor * nc + label] = norm;
    }
  }
}

/** An anchor positive for several ground truths keeps only the one it overlaps most (first on ties). */
function resolveMultipleGts(tables: PairTables, M: number, A: number): void {
  const { overlaps, maskPos } = tables;
  for (let a = 0; a < A; a += 1) {
    let count = 0;
    for (let m = 0; m < M; m += 1) count += maskPos[m * A + a] as number;
    if (count <= 1) continue;
    let best = 0;
    for (let m = 1; m < M; m += 1) if ((overlaps[m * A + a] as number) > (overlaps[best * A + a] as number)) best = m;
    for (let m = 0; m < M; m += 1) maskPos[m * A + a] = m === best ? 1 : 0;
  }
}

function checkInput(input: AssignerInput, numClasses: number): void {
  const { batchSize: B, numAnchors: A, maxBoxes: M } = input;
  const expect = (name: string, actual: number, wanted: number, shape: string): void => {
    if (actual !== wanted) throw new Error(`TaskAlignedAssigner: ${name} has ${actual} values, expected ${wanted} (${shape})`);
  };
  expect('predScores', input.predScores.length, B * A * numClasses, `[${B}, ${A}, ${numClasses}]`);
  expect('predBoxes', input.predBoxes.length, B * A * 4, `[${B}, ${A}, 4]`);
  expect('anchorPoints', input.anchorPoints.length, A * 2, `[${A}, 2]`);
  expect('gtLabels', input.gtLabels.length, B * M, `[${B}, ${M}]`);
  expect('gtBoxes', input.gtBoxes.length, B * M * 4, `[${B}, ${M}, 4]`);
  expect('gtMask', input.gtMask.length, B * M, `[${B}, ${M}]`);
  for (let i = 0; i < B * M; i += 1) {
    const label = input.gtLabels[i] as number;
    if (input.gtMask[i] && !(Number.isInteger(label) && label >= 0 && label < numClasses)) {
      throw new Error(`TaskAlignedAssigner: ground truth ${i % M} of image ${Math.floor(i / M)} has class ${label}, expected an integer in 0..${numClasses - 1}`);
    }
  }
}
