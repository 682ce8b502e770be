import type { HeadKind } from './detection-model.js';

/**
 * What a distillation loss may know about a detector's head without seeing the model: its kind,
 * classes, strides, anchors (anchor-based) or DFL bins (anchor-free), and the per-level weights its
 * native loss gives objectness (YOLOv5's balance [4, 1, 0.4]).
 */
export interface HeadDescription {
  readonly kind: HeadKind;
  readonly numClasses: number;
  /** Input pixels per grid cell of each level, ascending (8, 16, 32). */
  readonly strides: readonly number[];
  /** Anchor-based: per level, per anchor `[w, h]` in input pixels. */
  readonly anchors?: readonly (readonly (readonly [number, number])[])[];
  /** Anchor-free: DFL bins per box side (16). */
  readonly regMax?: number;
  /** Per-level weight of the native objectness term; absent: every level weighs 1. */
  readonly levelBalance?: readonly number[];
}

/** The heads a distillation loss is bound to before its first compute. */
export interface DistillBinding {
  readonly student: HeadDescription;
  /** Absent when the teacher cannot describe its head (then head terms assume the student's layout). */
  readonly teacher?: HeadDescription;
}
