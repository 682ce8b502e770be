import type { DatasetSource, Detection, GroundTruth, Split } from '@yolo-distill/core';
import type { DetectOptions, Detector } from './detector.js';

/** Per image of a split, in its order: the detector's boxes and the true boxes, xyxy in letterboxed pixels. */
export interface SplitDetections {
  readonly detections: Detection[][];
  readonly truths: GroundTruth[][];
}

/** The true boxes of a sample (label rows `cls cx cy w h`, normalised) in pixels of a `size` square. */
export function sampleTruths(labels: { readonly rows: Float32Array; readonly count: number }, size: number): GroundTruth[] {
  const boxes: GroundTruth[] = [];
  for (let r = 0; r < labels.count; r++) {
    const [cls, cx, cy, w, h] = Array.from(labels.rows.subarray(r * 5, r * 5 + 5)) as [number, number, number, number, number];
    boxes.push({ cls, box: [(cx - w / 2) * size, (cy - h / 2) * size, (cx + w / 2) * size, (cy + h / 2) * size] });
  }
  return boxes;
}

/**
 * Runs the detector on every image of the split (the data letterboxes them to the detector's size),
 * boxes clipped to the image, as Ultralytics' validator does (scale_boxes -> clip_boxes).
 */
export async function detectSplit(detector: Detector, data: DatasetSource, split: Split, options: DetectOptions): Promise<SplitDetections> {
  const size = detector.imageSize;
  const clip = (v: number) => Math.min(size, Math.max(0, v));
  const detections: Detection[][] = [];
  const truths: GroundTruth[][] = [];
  for (let i = 0; i < data.size(split); i++) {
    const sample = await data.sample(split, i);
    const found = (await detector.detect([sample.image], options))[0] ?? [];
    detections.push(found.map((d) => ({ ...d, box: [clip(d.box[0]), clip(d.box[1]), clip(d.box[2]), clip(d.box[3])] as const })));
    truths.push(sampleTruths(sample.labels, size));
  }
  return { detections, truths };
}
