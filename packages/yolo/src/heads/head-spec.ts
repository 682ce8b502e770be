import type { HeadKind } from '@yolo-distill/core';

/**
 * A built detection head as its decode needs it. `kind` names a registered head kind (see
 * `HEAD_KINDS`); each kind reads the fields it needs (anchors, DFL bins) and says what it misses.
 */
export interface HeadSpec {
  readonly kind: HeadKind;
  readonly numClasses: number;
  /** Input pixels per grid cell of each level, ascending (8, 16, 32). */
  readonly strides: readonly number[];
  /** Anchor-based heads: per level, per anchor `[w, h]` in input pixels. */
  readonly anchors?: readonly (readonly (readonly [number, number])[])[];
  /** DFL heads: bins per box side. */
  readonly regMax?: number;
}

/** An anchor-based head (YOLOv3/v5/v7 `Detect`): per level `na` anchors, outputs `na * (5 + nc)` channels. */
export interface AnchorHeadSpec extends HeadSpec {
  readonly kind: 'anchor-based';
  readonly anchors: readonly (readonly (readonly [number, number])[])[];
}

/** An anchor-free head with distribution focal loss boxes (YOLOv8 `Detect`): `4 * regMax + nc` channels. */
export interface DflHeadSpec extends HeadSpec {
  readonly kind: 'anchor-free';
  readonly regMax: number;
}

/** The head has anchors to fit or a v5-family loss to assign to (an anchor-based head). */
export function isAnchorHead(spec: HeadSpec): spec is AnchorHeadSpec {
  return spec.kind === 'anchor-based' && Array.isArray(spec.anchors);
}

/** The head predicts DFL box bins (an anchor-free head with `regMax`). */
export function isDflHead(spec: HeadSpec): spec is DflHeadSpec {
  return spec.kind === 'anchor-free' && typeof spec.regMax === 'number';
}
