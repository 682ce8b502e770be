import type { TaskAlignedAssignerOptions } from '../../assign/task-aligned-assigner.js';

/** The gains the three loss terms are multiplied by. */
export interface YoloV8LossGains {
  readonly box: number;
  readonly cls: number;
  readonly dfl: number;
}

/** Ultralytics' `default.yaml` gains. */
export const YOLOV8_LOSS_DEFAULTS: YoloV8LossGains = { box: 7.5, cls: 0.5, dfl: 1.5 };

/** The assigner settings the loss uses (`numClasses` comes from the loss). */
export type YoloV8AssignerSettings = Required<Omit<TaskAlignedAssignerOptions, 'numClasses'>>;

/** What a caller gives; everything but the class count and image size has the v8 default. */
export interface YoloV8LossOptions {
  readonly numClasses: number;
  /** Input size in pixels, a square side or [height, width]; must equal level 0's grid * strides[0]. */
  readonly imageSize: number | readonly [height: number, width: number];
  /** One stride per level, in the order of the levels (default [8, 16, 32]). */
  readonly strides?: readonly number[];
  /** Bins per box side (default 16). */
  readonly regMax?: number;
  readonly gains?: Partial<YoloV8LossGains>;
  /**
   * Assigner settings. Defaults: topk 10, alpha 0.5, beta 6, eps 1e-9 (`v8DetectionLoss`), and
   * minCandidateSide = strides[1], the small-target widening Ultralytics 8.4 applies; 0 gives the
   * pre-8.4 rule (a candidate's centre must lie inside the box as labelled).
   */
  readonly assigner?: Partial<YoloV8AssignerSettings>;
}

/** Everything the loss reads, resolved and checked. */
export interface YoloV8LossConfig {
  readonly numClasses: number;
  readonly imageSize: readonly [height: number, width: number];
  readonly strides: readonly number[];
  readonly regMax: number;
  readonly gains: YoloV8LossGains;
  readonly assigner: YoloV8AssignerSettings;
}

function requirePositive(value: number, name: string): void {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`yolov8 loss: '${name}' must be a positive number, got ${value}`);
}

/** Fills the v8 defaults into `options` and checks them. */
export function resolveYoloV8LossConfig(options: YoloV8LossOptions): YoloV8LossConfig {
  const { numClasses } = options;
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`yolov8 loss: 'numClasses' must be a positive integer, got ${numClasses}`);
  const imageSize: [number, number] = typeof options.imageSize === 'number' ? [options.imageSize, options.imageSize] : [options.imageSize[0], options.imageSize[1]];
  imageSize.forEach((side, i) => requirePositive(side, `imageSize[${i}]`));
  const strides = options.strides ?? [8, 16, 32];
  if (strides.length === 0) throw new Error("yolov8 loss: 'strides' must hold at least one level");
  strides.forEach((stride, i) => requirePositive(stride, `strides[${i}]`));
  const regMax = options.regMax ?? 16;
  if (!Number.isInteger(regMax) || regMax < 2) {
    throw new Error(`yolov8 loss: 'regMax' must be an integer >= 2 (the DFL head), got ${regMax}`);
  }
  const gains = { ...YOLOV8_LOSS_DEFAULTS, ...options.gains };
  (['box', 'cls', 'dfl'] as const).forEach((name) => {
    if (!Number.isFinite(gains[name]) || gains[name] < 0) throw new Error(`yolov8 loss: 'gains.${name}' must be a number >= 0, got ${gains[name]}`);
  });
  const assigner: YoloV8AssignerSettings = {
    topk: 10,
    alpha: 0.5,
    beta: 6.0,
    eps: 1e-9,
    minCandidateSide: strides[1] ?? (strides[0] as number),
    ...options.assigner,
  };
  return { numClasses, imageSize, strides, regMax, gains, assigner };
}
