import { selectBackend } from '@yolo-distill/backend';
import * as tf from '@tensorflow/tfjs-core';
import { buildYoloV3, YOLOV3_SCALES, yoloV3Spec } from './build-yolo-v3.js';

// Parameter counts by hand from the layer lists (conv k*k*c1*c2 + BN 2*c2; Detect 1x1 convs with bias); the
// same count gives the yolov3-tiny fixture's params_unfused (592,150) at width 0.25. ultralytics/yolov3's
// README lists 61.9 M (YOLOv3), 63.0 M (SPP) and 8.8 M (tiny).
const UNFUSED_PARAMETERS = { yolov3: 61_949_149, 'yolov3-tiny': 8_852_366, 'yolov3-spp': 62_998_749 } as const;

describe('the YOLOv3 definitions', () => {
  it('Darknet-53: bottleneck repeats 1, 2, 8, 8, 4 after the stride-2 convs, as stacked copies model.<row>.<j>', () => {
    const spec = yoloV3Spec({ scale: 'yolov3', numClasses: 80 });
    const backbone = spec.layers.slice(0, spec.backboneLength);
    expect(backbone.filter((l) => l.module.name === 'Bottleneck').map((l) => l.repeats)).toEqual([1, 2, 8, 8, 4]);
    expect(backbone.map((l) => l.stride)).toEqual([1, 2, 2, 4, 4, 8, 8, 16, 16, 32, 32]);
    const head = spec.layers[spec.layers.length - 1]!;
    expect(head).toMatchObject({ from: [27, 22, 15], inputChannels: [256, 512, 1024], inputStrides: [8, 16, 32] });
  });

  it('YOLOv3-SPP: SPP(5, 9, 13) in row 12 where YOLOv3 has a 1x1 conv', () => {
    const [v3, spp] = (['yolov3', 'yolov3-spp'] as const).map((scale) => yoloV3Spec({ scale, numClasses: 80 }));
    expect(v3!.layers[12]).toMatchObject({ module: { name: 'Conv' }, outputChannels: 512 });
    expect(spp!.layers[12]).toMatchObject({ module: { name: 'SPP' }, args: { kernels: [5, 9, 13] }, outputChannels: 512 });
    expect(spp!.layers.map((l) => l.module.name)).toEqual(v3!.layers.map((l, i) => (i === 12 ? 'SPP' : l.module.name)));
  });

  it("YOLOv3-tiny: ZeroPad2d [0, 1, 0, 1] + MaxPool2d(2, 1) keep stride 32; Detect reads P4 (row 19) and P5 (row 15)", () => {
    const spec = yoloV3Spec({ scale: 'yolov3-tiny', numClasses: 80 });
    expect(spec.layers[11]).toMatchObject({ module: { name: 'nn.ZeroPad2d' }, args: { left: 0, right: 1, top: 0, bottom: 1 }, stride: 32 });
    expect(spec.layers[12]).toMatchObject({ module: { name: 'nn.MaxPool2d' }, args: { k: 2, s: 1, p: 0 }, stride: 32 });
    expect(spec.layers[spec.layers.length - 1]).toMatchObject({ from: [19, 15], inputStrides: [16, 32] });
  });

  it('refuses an unknown model, naming the choices', () => {
    expect(() => yoloV3Spec({ scale: 'yolov3-huge', numClasses: 80 })).toThrow("unknown YOLOv3 model 'yolov3-huge'; choose yolov3, yolov3-tiny, yolov3-spp");
  });
});

describe('buildYoloV3', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it.each(YOLOV3_SCALES)('%s has the hand-counted number of parameters (nc 80)', (scale) => {
    const model = buildYoloV3({ scale, numClasses: 80 });
    expect(model.name).toBe(scale);
    expect(model.parameterCount()).toBe(UNFUSED_PARAMETERS[scale]);
    model.dispose();
  });

  it('yolov3-tiny keeps the 5x5 map through the pad and the stride-1 pool, and halves it elsewhere', () => {
    const model = buildYoloV3({ scale: 'yolov3-tiny', numClasses: 2 });
    const images = tf.zeros([1, 160, 160, 3]) as tf.Tensor4D;
    const out = model.forward(images, { training: false, taps: ['layer.10', 'layer.11', 'layer.12', 'neck.0'] });
    expect(Object.fromEntries(Object.entries(out.features).map(([k, t]) => [k, t.shape]))).toEqual({
      'layer.10': [1, 5, 5, 512],
      'layer.11': [1, 6, 6, 512],
      'layer.12': [1, 5, 5, 512],
      'neck.0': [1, 10, 10, 256],
    });
    expect(out.head.map((t) => t.shape)).toEqual([
      [1, 10, 10, 21],
      [1, 5, 5, 21],
    ]);
    tf.dispose([images, ...out.head, ...Object.values(out.features)]);
    model.dispose();
  });
});
