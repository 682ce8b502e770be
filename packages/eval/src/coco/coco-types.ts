/** A box in COCO terms: x, y of the top-left corner, width, height (pixels). */
export type XywhBox = readonly [number, number, number, number];

export interface EvalDetection {
  readonly image: string | number;
  readonly category: number;
  readonly box: XywhBox;
  readonly score: number;
}

export interface EvalGroundTruth {
  readonly image: string | number;
  readonly category: number;
  readonly box: XywhBox;
  /** COCO `iscrowd`: a crowd region matches any number of detections and is never counted as missed. */
  readonly crowd?: boolean;
  /** COCO `area` (segment area); defaults to w * h. */
  readonly area?: number;
}

/** COCO's evaluation parameters (`Params` of pycocotools, bbox). */
export interface CocoParams {
  readonly iouThresholds: readonly number[];
  readonly recallThresholds: readonly number[];
  readonly maxDets: readonly number[];
  readonly areaRanges: Readonly<Record<'all' | 'small' | 'medium' | 'large', readonly [number, number]>>;
}

const linspace = (start: number, stop: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => Number((start + ((stop - start) * i) / (count - 1)).toFixed(10)));

export const COCO_PARAMS: CocoParams = {
  iouThresholds: linspace(0.5, 0.95, 10),
  recallThresholds: linspace(0, 1, 101),
  maxDets: [1, 10, 100],
  areaRanges: { all: [0, 1e10], small: [0, 32 ** 2], medium: [32 ** 2, 96 ** 2], large: [96 ** 2, 1e10] },
};
