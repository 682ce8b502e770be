import { defaultBalance, resolveYoloV5LossConfig, trainPyGains, YOLOV5_LOSS_DEFAULTS } from './loss-config.js';

describe('resolveYoloV5LossConfig', () => {
  it('keeps the hyp.scratch-low gains unchanged for nl = 3, nc = 80, imgsz = 640', () => {
    const config = resolveYoloV5LossConfig({ numClasses: 80, imageSize: 640 });
    expect(config.hyp).toEqual(YOLOV5_LOSS_DEFAULTS);
    expect(config.gains.box).toBeCloseTo(0.05, 12);
    expect(config.gains.obj).toBeCloseTo(1.0, 12);
    expect(config.gains.cls).toBeCloseTo(0.5, 12);
    expect(config.balance).toEqual([4.0, 1.0, 0.4]);
    expect(config.iouRatio).toBe(1);
    expect(config.classTargets).toEqual({ positive: 1, negative: 0 });
  });

  it('turns pixel anchors into grid units (pixels / stride), as Detect.anchors holds them', () => {
    const config = resolveYoloV5LossConfig({ numClasses: 80, imageSize: 640 });
    // P3/8: 10/8, 13/8 | 16/8, 30/8 | 33/8, 23/8; P5/32: 116/32 = 3.625, 90/32 = 2.8125, ...
    expect(config.anchors[0]).toEqual([
      [1.25, 1.625],
      [2, 3.75],
      [4.125, 2.875],
    ]);
    expect(config.anchors[2]?.[0]).toEqual([3.625, 2.8125]);
  });

  it('applies train.py scaling: box *= 3/nl, cls *= nc/80 * 3/nl, obj *= (imgsz/640)^2 * 3/nl', () => {
    // nc = 4, imgsz = 160, nl = 3: box 0.05, cls 0.5 * 4/80 = 0.025, obj 1 * (1/4)^2 = 0.0625.
    const three = resolveYoloV5LossConfig({ numClasses: 4, imageSize: 160 });
    expect(three.gains.box).toBeCloseTo(0.05, 12);
    expect(three.gains.cls).toBeCloseTo(0.025, 12);
    expect(three.gains.obj).toBeCloseTo(0.0625, 12);
    // One level (3/nl = 3), nc = 2, imgsz = 32: box 0.15, cls 0.5 * 2/80 * 3 = 0.0375, obj (32/640)^2 * 3 = 0.0075.
    const one = trainPyGains(YOLOV5_LOSS_DEFAULTS, { numLevels: 1, numClasses: 2, imageSize: 32 });
    expect(one.box).toBeCloseTo(0.15, 12);
    expect(one.cls).toBeCloseTo(0.0375, 12);
    expect(one.obj).toBeCloseTo(0.0075, 12);
  });

  it("uses the hyp gains as given with gainScaling 'none'", () => {
    const config = resolveYoloV5LossConfig({ numClasses: 4, imageSize: 160, gainScaling: 'none', hyp: { box: 0.1 } });
    expect(config.gains).toEqual({ box: 0.1, obj: 1.0, cls: 0.5 });
  });

  it('makes smooth_BCE targets from label smoothing: cp = 1 - eps/2, cn = eps/2', () => {
    const config = resolveYoloV5LossConfig({ numClasses: 3, imageSize: 640, hyp: { labelSmoothing: 0.1 } });
    expect(config.classTargets.positive).toBeCloseTo(0.95, 12);
    expect(config.classTargets.negative).toBeCloseTo(0.05, 12);
  });

  it('takes the first levels of [4, 1, 0.25, 0.06, 0.02] when there are not 3 levels', () => {
    expect(defaultBalance(1)).toEqual([4.0]);
    expect(defaultBalance(2)).toEqual([4.0, 1.0]);
    expect(defaultBalance(4)).toEqual([4.0, 1.0, 0.25, 0.06]);
    expect(() => defaultBalance(6)).toThrow(/6 levels; give 'balance'/);
  });

  it('says what is wrong with bad options', () => {
    expect(() => resolveYoloV5LossConfig({ numClasses: 0, imageSize: 640 })).toThrow(/'numClasses' must be a positive integer, got 0/);
    expect(() => resolveYoloV5LossConfig({ numClasses: 2, imageSize: 640, strides: [8, 16] })).toThrow(/3 anchor levels but 2 strides/);
    expect(() => resolveYoloV5LossConfig({ numClasses: 2, imageSize: 640, anchors: [[10, 13, 16]], strides: [8] })).toThrow(
      /anchors\[0\] has 3 numbers; expected \(w, h\) pairs/,
    );
    expect(() =>
      resolveYoloV5LossConfig({ numClasses: 2, imageSize: 640, anchors: [[10, 13, 16, 30], [30, 61]], strides: [8, 16] }),
    ).toThrow(/anchors\[1\] has 1 anchors but anchors\[0\] has 2/);
    expect(() => resolveYoloV5LossConfig({ numClasses: 2, imageSize: 640, balance: [1, 1] })).toThrow(/'balance' has 2 values for 3 levels/);
    expect(() => resolveYoloV5LossConfig({ numClasses: 2, imageSize: 640, hyp: { labelSmoothing: 2 } })).toThrow(/labelSmoothing/);
  });
});
