/** One detection: box xyxy in image pixels, its score and class. */
export interface Detection {
  readonly box: readonly [number, number, number, number];
  readonly score: number;
  readonly cls: number;
}

/** One ground-truth box, xyxy in image pixels. */
export interface GroundTruth {
  readonly box: readonly [number, number, number, number];
  readonly cls: number;
  readonly crowd?: boolean;
}

/** A metric over a set of images: detections and ground truth per image -> named numbers. */
export interface Metric {
  readonly name: string;
  evaluate(detections: readonly (readonly Detection[])[], truth: readonly (readonly GroundTruth[])[]): Record<string, number>;
}
