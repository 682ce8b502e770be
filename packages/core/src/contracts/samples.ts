/** An RGB image in HWC order, values 0..1. */
export interface ImageTensorData {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

/**
 * Labels as rows of `[cls, cx, cy, w, h]`, box coordinates normalised to 0..1 of the image
 * (the YOLO txt convention); `count` rows are stored back to back.
 */
export interface LabelRows {
  readonly rows: Float32Array;
  readonly count: number;
}

/** One training example: an image and its labels, plus where it came from for error messages. */
export interface Sample {
  readonly image: ImageTensorData;
  readonly labels: LabelRows;
  readonly source: string;
}

/**
 * A batch ready for a model: images NHWC 0..1 back to back, and targets as rows of
 * `[imageIndex, cls, cx, cy, w, h]` (normalised), as Ultralytics' trainers take them.
 */
export interface ImageBatch {
  readonly images: Float32Array;
  readonly shape: readonly [number, number, number, number];
  readonly targets: Float32Array;
  readonly targetCount: number;
  readonly sources: readonly string[];
}
