// Batched, class-aware non-maximum suppression over decoded YOLO predictions, as Ultralytics'
// `non_max_suppression` does it (yolov5 utils/general.py, ultralytics/utils/nms.py).
import type { Detection } from '@yolo-distill/core';

/**
 * Decoded predictions of a batch: an ONNX export's output, or `DetectionModel.decode` (rows of
 * `4 + classes` whose scores already include objectness: use `objectness: false` for those).
 */
export interface DetectionPredictions {
  readonly data: Float32Array;
  /**
   * `[batch, anchors, channels]` for layout `rows` (yolov5/v3/v7: `[1, 1575, 85]`), or
   * `[batch, channels, anchors]` for layout `channels-first` (yolov8: `[1, 4 + nc, 525]`).
   */
  readonly dims: readonly number[];
}

export interface NonMaxSuppressionOptions {
  /**
   * Whether channel 4 is an objectness score (anchor-based heads: v3/v5/v7). Then a class's score is
   * objectness * class score, and rows whose objectness is not above `confThreshold` are dropped first.
   */
  objectness: boolean;
  /** Default `rows`. */
  layout?: 'rows' | 'channels-first';
  /** Class channels; defaults to all channels after the box (and objectness). Channels after them (mask coefficients) are ignored. */
  numClasses?: number;
  /** Scores must be strictly above this. Default 0.25. */
  confThreshold?: number;
  /** A box is dropped when its IoU with a kept box of its class is strictly above this. Default 0.45 (v5); Ultralytics' v8 predictor uses 0.7. */
  iouThreshold?: number;
  /** Keep only these class ids. */
  classes?: readonly number[];
  /** Suppress across classes. Default false (class-aware). */
  agnostic?: boolean;
  /** One detection per (box, class) pair above `confThreshold` instead of only the best class. Default false. */
  multiLabel?: boolean;
  /** Detections kept per image. Default 300. */
  maxDetections?: number;
  /** Candidates (highest scores first) that enter NMS per image. Default 30000. */
  maxCandidates?: number;
}


export const NMS_DEFAULTS = {
  confThreshold: 0.25,
  iouThreshold: 0.45,
  maxDetections: 300,
  maxCandidates: 30000,
} as const;

/** Scores and corners are rounded to float32, as PyTorch computes them, so thresholds cut where Ultralytics' do. */
const f32 = Math.fround;

/**
 * Filters by score, then greedy NMS per image: detections sorted by score (descending), each
 * kept unless it overlaps a kept, higher-scored box of the same class (any class when `agnostic`)
 * with IoU above the threshold. Rows are `[cx, cy, w, h, (objectness,) class scores...]`.
 * Ultralytics offsets boxes by `class * 7680` to do per-class NMS in one call; comparing only boxes
 * of the same class gives the same result without the limit on coordinates.
 */
export function nonMaxSuppression(predictions: DetectionPredictions, options: NonMaxSuppressionOptions): Detection[][] {
  const { data, dims } = predictions;
  const layout = options.layout ?? 'rows';
  if (dims.length !== 3) throw new Error(`nonMaxSuppression: predictions must be 3-D ([batch, anchors, channels] or [batch, channels, anchors]), got dims [${dims.join(', ')}]`);
  const [batch, second, third] = dims as [number, number, number];
  const [anchors, channels] = layout === 'rows' ? [second, third] : [third, second];
  if (data.length !== batch * anchors * channels) throw new Error(`nonMaxSuppression: ${data.length} values do not fill dims [${dims.join(', ')}]`);
  const first = options.objectness ? 5 : 4;
  const numClasses = options.numClasses ?? channels - first;
  if (numClasses < 1 || first + numClasses > channels) {
    throw new Error(
      `nonMaxSuppression: ${channels} channels per prediction (layout ${layout}, dims [${dims.join(', ')}]) cannot hold 4 box values${options.objectness ? ', objectness' : ''} and ${numClasses} class scores`,
    );
  }
  const conf = options.confThreshold ?? NMS_DEFAULTS.confThreshold;
  const iou = options.iouThreshold ?? NMS_DEFAULTS.iouThreshold;
  const maxDetections = options.maxDetections ?? NMS_DEFAULTS.maxDetections;
  const maxCandidates = options.maxCandidates ?? NMS_DEFAULTS.maxCandidates;
  for (const [name, value] of [['confThreshold', conf], ['iouThreshold', iou]] as const) {
    if (!(value >= 0 && value <= 1)) throw new Error(`nonMaxSuppression: ${name} must be in [0, 1], got ${value}`);
  }
  const allowed = options.classes ? new Set(options.classes) : undefined;
  const multiLabel = (options.multiLabel ?? false) && numClasses > 1;

  const results: Detection[][] = [];
  for (let image = 0; image < batch; image++) {
    const imageOffset = image * anchors * channels;
    const at =
      layout === 'rows'
        ? (anchor: number, channel: number): number => data[imageOffset + anchor * channels + channel] as number
        : (anchor: number, channel: number): number => data[imageOffset + channel * anchors + anchor] as number;
    const candidates: Detection[] = [];
    for (let anchor = 0; anchor < anchors; anchor++) {
      const objectness = options.objectness ? at(anchor, 4) : 1;
      if (options.objectness && !(objectness > conf)) continue;
      const add = (cls: number, score: number): void => {
        if (allowed && !allowed.has(cls)) return;
        const cx = at(anchor, 0);
        const cy = at(anchor, 1);
        const halfW = at(anchor, 2) / 2;
        const halfH = at(anchor, 3) / 2;
        candidates.push({ box: [f32(cx - halfW), f32(cy - halfH), f32(cx + halfW), f32(cy + halfH)], score, cls });
      };
      if (multiLabel) {
        for (let cls = 0; cls < numClasses; cls++) {
          const score = f32(at(anchor, first + cls) * objectness);
          if (score > conf) add(cls, score);
        }
      } else {
        let best = 0;
        let bestScore = Number.NEGATIVE_INFINITY;
        for (let cls = 0; cls < numClasses; cls++) {
          const score = f32(at(anchor, first + cls) * objectness);
          if (score > bestScore) {
            bestScore = score;
            best = cls;
          }
        }
        if (bestScore > conf) add(best, bestScore);
      }
    }
    // Array.prototype.sort is stable: equal scores keep anchor order.
    candidates.sort((a, b) => b.score - a.score);
    results.push(greedyNms(candidates.slice(0, maxCandidates), iou, options.agnostic ?? false, maxDetections));
  }
  return results;
}

/** Greedy NMS over detections already sorted by score (descending); keeps at most `maxDetections`. */
function greedyNms(sorted: readonly Detection[], iouThreshold: number, agnostic: boolean, maxDetections: number): Detection[] {
  const kept: Detection[] = [];
  for (const candidate of sorted) {
    if (kept.length >= maxDetections) break;
    let suppressed = false;
    for (const other of kept) {
      if ((agnostic || other.cls === candidate.cls) && boxIoUXyxy(other.box, candidate.box) > iouThreshold) {
        suppressed = true;
        break;
      }
    }
    if (!suppressed) kept.push(candidate);
  }
  return kept;
}

/**
 * Indices of the boxes greedy NMS keeps, highest score first (torchvision.ops.nms / batched_nms):
 * `boxes` holds x1,y1,x2,y2 per box; with `classes`, only boxes of the same class suppress each other.
 */
export function nmsIndices(boxes: Float32Array, scores: Float32Array, iouThreshold: number, classes?: Int32Array | readonly number[]): number[] {
  const count = scores.length;
  if (boxes.length !== count * 4) throw new Error(`nmsIndices: ${boxes.length} box values for ${count} scores (need 4 per box)`);
  if (classes && classes.length !== count) throw new Error(`nmsIndices: ${classes.length} classes for ${count} scores`);
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const box = (i: number): [number, number, number, number] => [boxes[i * 4] as number, boxes[i * 4 + 1] as number, boxes[i * 4 + 2] as number, boxes[i * 4 + 3] as number];
  const kept: number[] = [];
  for (const i of order) {
    const candidate = box(i);
    const suppressed = kept.some((k) => (!classes || classes[k] === classes[i]) && boxIoUXyxy(box(k), candidate) > iouThreshold);
    if (!suppressed) kept.push(i);
  }
  return kept;
}

/** IoU of two x1,y1,x2,y2 boxes, as torchvision computes it (no epsilon; 0 for an empty union). */
function boxIoUXyxy(a: readonly number[], b: readonly number[]): number {
  const [ax1, ay1, ax2, ay2] = a as [number, number, number, number];
  const [bx1, by1, bx2, by2] = b as [number, number, number, number];
  const width = Math.max(0, Math.min(ax2, bx2) - Math.max(ax1, bx1));
  const height = Math.max(0, Math.min(ay2, by2) - Math.max(ay1, by1));
  const inter = width * height;
  const union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter;
  return union > 0 ? inter / union : 0;
}
