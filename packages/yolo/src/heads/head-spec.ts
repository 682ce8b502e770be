/** An anchor-based head (YOLOv3/v5/v7 `Detect`): per level `na` anchors, outputs `na * (5 + nc)` channels. */
export interface AnchorHeadSpec {
  readonly kind: 'anchor-based';
  readonly numClasses: number;
  /** Input pixels per grid cell of each level, ascending (8, 16, 32). */
  readonly strides: readonly number[];
  /** Per level, per anchor: `[w, h]` in input pixels. */
  readonly anchors: readonly (readonly (readonly [number, number])[])[];
}

/** An anchor-free head with distribution focal loss boxes (YOLOv8 `Detect`): `4 * regMax + nc` channels. */
export interface DflHeadSpec {
  readonly kind: 'anchor-free';
  readonly numClasses: number;
  readonly strides: readonly number[];
  readonly regMax: number;
}

export type HeadSpec = AnchorHeadSpec | DflHeadSpec;

/** Output channels of one level of the raw head. */
export function headChannels(spec: HeadSpec): number {
  return spec.kind === 'anchor-based' ? (spec.anchors[0]?.length ?? 0) * (5 + spec.numClasses) : 4 * spec.regMax + spec.numClasses;
}
