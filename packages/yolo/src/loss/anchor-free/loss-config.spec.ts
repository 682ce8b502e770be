import { resolveYoloV8LossConfig, YOLOV8_LOSS_DEFAULTS } from './loss-config.js';

describe('resolveYoloV8LossConfig', () => {
  it('fills the v8 defaults: strides 8/16/32, regMax 16, gains 7.5/0.5/1.5, TAL topk 10, alpha 0.5, beta 6', () => {
    const config = resolveYoloV8LossConfig({ numClasses: 4, imageSize: 160 });
    expect(config).toEqual({
      numClasses: 4,
      imageSize: [160, 160],
      strides: [8, 16, 32],
      regMax: 16,
      gains: YOLOV8_LOSS_DEFAULTS,
      assigner: { topk: 10, alpha: 0.5, beta: 6, eps: 1e-9, minCandidateSide: 16 },
    });
    expect(YOLOV8_LOSS_DEFAULTS).toEqual({ box: 7.5, cls: 0.5, dfl: 1.5 });
  });

  it('keeps what is given, gain by gain and setting by setting', () => {
    const config = resolveYoloV8LossConfig({ numClasses: 1, imageSize: [96, 128], strides: [4, 8], gains: { cls: 1 }, assigner: { topk: 13, minCandidateSide: 0 } });
    expect(config.imageSize).toEqual([96, 128]);
    expect(config.gains).toEqual({ box: 7.5, cls: 1, dfl: 1.5 });
    expect(config.assigner).toEqual({ topk: 13, alpha: 0.5, beta: 6, eps: 1e-9, minCandidateSide: 0 });
    expect(resolveYoloV8LossConfig({ numClasses: 1, imageSize: 32, strides: [32] }).assigner.minCandidateSide).toBe(32);
  });

  it('names the bad option', () => {
    expect(() => resolveYoloV8LossConfig({ numClasses: 0, imageSize: 64 })).toThrow(/'numClasses' must be a positive integer, got 0/);
    expect(() => resolveYoloV8LossConfig({ numClasses: 2, imageSize: [64, -1] })).toThrow(/'imageSize\[1\]' must be a positive number, got -1/);
    expect(() => resolveYoloV8LossConfig({ numClasses: 2, imageSize: 64, regMax: 1 })).toThrow(/'regMax' must be an integer >= 2/);
    expect(() => resolveYoloV8LossConfig({ numClasses: 2, imageSize: 64, gains: { dfl: Number.NaN } })).toThrow(/'gains\.dfl' must be a number >= 0/);
    expect(() => resolveYoloV8LossConfig({ numClasses: 2, imageSize: 64, strides: [] })).toThrow(/at least one level/);
  });
});
