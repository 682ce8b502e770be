import type { Detection, GroundTruth } from '@yolo-distill/core';
import { linspace } from '../metrics/numeric.js';

/**
 * The hand-worked image the metric tests share (boxes xyxy). Scores sit on the 1000-point confidence
 * grid (`grid[k] = k / 999`), so the interpolated curves read exact values there.
 *
 * Class 0: truths A (0,0,10,10) and B (20,20,30,30); detections by score: d1 = A (TP), d2 far away
 * (FP), d3 = (20,20,30,28.2), IoU with B 82/100 = 0.82 (TP at IoU 0.50..0.80, FP at 0.85..0.95).
 * Class 1: truth C (40,0,60,20); d4 = C (TP), d5 far away (FP).
 */
export const GRID = linspace(0, 1, 1000);
export const at = (k: number): number => GRID[k] as number;

export const TRUTHS: readonly GroundTruth[] = [
  { box: [0, 0, 10, 10], cls: 0 },
  { box: [20, 20, 30, 30], cls: 0 },
  { box: [40, 0, 60, 20], cls: 1 },
];

export const DETECTIONS: readonly Detection[] = [
  { box: [0, 0, 10, 10], score: at(899), cls: 0 },
  { box: [50, 50, 60, 60], score: at(799), cls: 0 },
  { box: [20, 20, 30, 28.2], score: at(699), cls: 0 },
  { box: [40, 0, 60, 20], score: at(599), cls: 1 },
  { box: [0, 40, 10, 50], score: at(499), cls: 1 },
];
