/**
 * Configuration of the YOLOv5 detection loss (ultralytics/yolov5 `utils/loss.py` `ComputeLoss`): the
 * hyperparameters of `data/hyps/hyp.scratch-low.yaml`, the per-level gain scaling that `train.py`
 * applies before building the loss, anchors, objectness balance and the label-smoothing targets.
 */

/** The loss hyperparameters of a YOLOv5 hyp YAML, camel-cased (`anchor_t` -> `anchorT`, ...). */
export interface YoloV5LossHyperparameters {
  /** Box (CIoU) loss gain, before `train.py` scaling. */
  readonly box: number;
  /** Objectness loss gain, before `train.py` scaling. */
  readonly obj: number;
  /** Class loss gain, before `train.py` scaling. */
  readonly cls: number;
  /** A target matches an anchor when max(r, 1/r) < anchorT for both w and h ratios (`anchor_t`). */
  readonly anchorT: number;
  /** BCE positive weight of the class loss (`cls_pw`). */
  readonly clsPw: number;
  /** BCE positive weight of the objectness loss (`obj_pw`). */
  readonly objPw: number;
  /** Focal-loss gamma (`fl_gamma`); 0 is plain BCE, > 0 wraps both BCEs in FocalLoss(gamma, alpha 0.25). */
  readonly flGamma: number;
  /** Label smoothing epsilon: class targets become 1 - eps/2 (positive) and eps/2 (negative). */
  readonly labelSmoothing: number;
}

/** `hyp.scratch-low.yaml` (the v5 default) and `train.py --label-smoothing 0`. */
export const YOLOV5_LOSS_DEFAULTS: YoloV5LossHyperparameters = {
  box: 0.05,
  obj: 1.0,
  cls: 0.5,
  anchorT: 4.0,
  clsPw: 1.0,
  objPw: 1.0,
  flGamma: 0,
  labelSmoothing: 0,
};

/** `models/yolov5*.yaml` anchors in input pixels, per level as flat [w0, h0, w1, h1, w2, h2]. */
export const YOLOV5_DEFAULT_ANCHORS: readonly (readonly number[])[] = [
  [10, 13, 16, 30, 33, 23],
  [30, 61, 62, 45, 59, 119],
  [116, 90, 156, 198, 373, 326],
];

export const YOLOV5_DEFAULT_STRIDES: readonly number[] = [8, 16, 32];

/** `ComputeLoss.balance`: [4, 1, 0.4] for 3 levels, else the first levels of [4, 1, 0.25, 0.06, 0.02]. */
export function defaultBalance(numLevels: number): readonly number[] {
  if (numLevels === 3) return [4.0, 1.0, 0.4];
  const p3ToP7 = [4.0, 1.0, 0.25, 0.06, 0.02];
  if (numLevels > p3ToP7.length) throw new Error(`yolov5 loss: no default objectness balance for ${numLevels} levels; give 'balance'`);
  return p3ToP7.slice(0, numLevels);
}

/** The gains the three loss terms are multiplied by. */
export interface YoloV5LossGains {
  readonly box: number;
  readonly obj: number;
  readonly cls: number;
}

/**
 * The scaling `train.py` applies to the hyp gains before it builds `ComputeLoss`:
 * `box *= 3/nl`, `cls *= nc/80 * 3/nl`, `obj *= (imgsz/640)^2 * 3/nl`.
 * With nl = 3, nc = 80 and imgsz = 640 the gains are unchanged.
 */
export function trainPyGains(
  hyp: Pick<YoloV5LossHyperparameters, 'box' | 'obj' | 'cls'>,
  shape: { readonly numLevels: number; readonly numClasses: number; readonly imageSize: number },
): YoloV5LossGains {
  const perLevel = 3 / shape.numLevels;
  return {
    box: hyp.box * perLevel,
    cls: hyp.cls * (shape.numClasses / 80) * perLevel,
    obj: hyp.obj * (shape.imageSize / 640) ** 2 * perLevel,
  };
}

/** What a caller gives; everything but the class count and image size has the v5 default. */
export interface YoloV5LossOptions {
  readonly numClasses: number;
  /** Training image size in pixels (`train.py --imgsz`); only the objectness gain scaling reads it. */
  readonly imageSize: number;
  /** Anchors in input pixels per level, flat [w, h, ...]; every level must have the same count. */
  readonly anchors?: readonly (readonly number[])[];
  /** Stride of each level in input pixels. */
  readonly strides?: readonly number[];
  readonly hyp?: Partial<YoloV5LossHyperparameters>;
  /**
   * `'train.py'` (default): the gains are `trainPyGains(hyp, ...)`, what an upstream training run uses.
   * `'none'`: `hyp.box/obj/cls` are used as given (for callers who already scaled them).
   */
  readonly gainScaling?: 'train.py' | 'none';
  /** Objectness weight per level; default `defaultBalance(nl)`. Autobalance is not supported. */
  readonly balance?: readonly number[];
  /** `ComputeLoss.gr`: objectness target = (1 - gr) + gr * clamp(IoU, 0). Default 1. */
  readonly iouRatio?: number;
}

/** Everything the loss reads, resolved and checked. */
export interface YoloV5LossConfig {
  readonly numClasses: number;
  readonly imageSize: number;
  readonly strides: readonly number[];
  /** Anchors per level in grid units (pixels / stride, rounded to float32 as `Detect.anchors` is), as [w, h]. */
  readonly anchors: readonly (readonly (readonly [number, number])[])[];
  /** The hyperparameters as given (before gain scaling). */
  readonly hyp: YoloV5LossHyperparameters;
  /** The gains actually applied to the box, obj and cls terms. */
  readonly gains: YoloV5LossGains;
  readonly balance: readonly number[];
  readonly iouRatio: number;
  /** `smooth_BCE(labelSmoothing)`: `positive` = 1 - eps/2 (`cp`), `negative` = eps/2 (`cn`). */
  readonly classTargets: { readonly positive: number; readonly negative: number };
}

function requirePositive(value: number, name: string): void {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`yolov5 loss: '${name}' must be a positive number, got ${value}`);
}

/** Fills the v5 defaults into `options`, checks them and applies the chosen gain scaling. */
export function resolveYoloV5LossConfig(options: YoloV5LossOptions): YoloV5LossConfig {
  const { numClasses, imageSize } = options;
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`yolov5 loss: 'numClasses' must be a positive integer, got ${numClasses}`);
  requirePositive(imageSize, 'imageSize');
  const anchorsPx = options.anchors ?? YOLOV5_DEFAULT_ANCHORS;
  const strides = options.strides ?? YOLOV5_DEFAULT_STRIDES;
  const numLevels = anchorsPx.length;
  if (numLevels === 0) throw new Error('yolov5 loss: \'anchors\' must hold at least one level');
  if (strides.length !== numLevels) {
    throw new Error(`yolov5 loss: ${numLevels} anchor levels but ${strides.length} strides; give one stride per level`);
  }
  strides.forEach((stride, i) => requirePositive(stride, `strides[${i}]`));
  const numAnchors = (anchorsPx[0]?.length ?? 0) / 2;
  const anchors = anchorsPx.map((level, i) => {
    if (level.length === 0 || level.length % 2 !== 0) {
      throw new Error(`yolov5 loss: anchors[${i}] has ${level.length} numbers; expected (w, h) pairs`);
    }
    if (level.length / 2 !== numAnchors) {
      throw new Error(`yolov5 loss: anchors[${i}] has ${level.length / 2} anchors but anchors[0] has ${numAnchors}; every level needs the same count`);
    }
    level.forEach((value, k) => requirePositive(value, `anchors[${i}][${k}]`));
    const stride = strides[i] as number;
    return Array.from({ length: numAnchors }, (_, a): readonly [number, number] => [
      Math.fround((level[2 * a] as number) / stride),
      Math.fround((level[2 * a + 1] as number) / stride),
    ]);
  });

  const hyp: YoloV5LossHyperparameters = { ...YOLOV5_LOSS_DEFAULTS, ...options.hyp };
  requirePositive(hyp.anchorT, 'hyp.anchorT');
  requirePositive(hyp.clsPw, 'hyp.clsPw');
  requirePositive(hyp.objPw, 'hyp.objPw');
  for (const key of ['box', 'obj', 'cls', 'flGamma'] as const) {
    if (!Number.isFinite(hyp[key]) || hyp[key] < 0) throw new Error(`yolov5 loss: 'hyp.${key}' must be >= 0, got ${hyp[key]}`);
  }
  if (!(hyp.labelSmoothing >= 0 && hyp.labelSmoothing <= 1)) {
    throw new Error(`yolov5 loss: 'hyp.labelSmoothing' must be in [0, 1], got ${hyp.labelSmoothing}`);
  }

  const balance = options.balance ?? defaultBalance(numLevels);
  if (balance.length !== numLevels) throw new Error(`yolov5 loss: 'balance' has ${balance.length} values for ${numLevels} levels`);
  const iouRatio = options.iouRatio ?? 1.0;
  if (!(iouRatio >= 0 && iouRatio <= 1)) throw new Error(`yolov5 loss: 'iouRatio' must be in [0, 1], got ${iouRatio}`);

  const scaling = options.gainScaling ?? 'train.py';
  const gains = scaling === 'train.py' ? trainPyGains(hyp, { numLevels, numClasses, imageSize }) : { box: hyp.box, obj: hyp.obj, cls: hyp.cls };
  return {
    numClasses,
    imageSize,
    strides: [...strides],
    anchors,
    hyp,
    gains,
    balance: [...balance],
    iouRatio,
    classTargets: { positive: 1.0 - 0.5 * hyp.labelSmoothing, negative: 0.5 * hyp.labelSmoothing },
  };
}
