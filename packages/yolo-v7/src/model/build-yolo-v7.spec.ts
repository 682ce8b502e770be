import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { buildYoloV7, yoloV7Spec } from './build-yolo-v7.js';

describe('the YOLOv7 definitions', () => {
  it('ELAN: four branches concatenated from rows [-1, -3, -5, -6] in the backbone, six in the head', () => {
    const spec = yoloV7Spec({ scale: 'yolov7', numClasses: 80 });
    const concats = spec.layers.filter((l) => l.module.name === 'Concat');
    expect(concats.find((l) => l.index === 10)).toMatchObject({ from: [9, 7, 5, 4], inputChannels: [64, 64, 64, 64] });
    expect(concats.find((l) => l.index === 62)).toMatchObject({ from: [61, 60, 59, 58, 57, 56] });
  });

  it('MP downsampling: max pool + 1x1 beside 1x1 + 3x3 stride 2, concatenated at half the size', () => {
    const spec = yoloV7Spec({ scale: 'yolov7', numClasses: 80 });
    expect(spec.layers.slice(12, 17).map((l) => [l.module.name, l.from, l.stride])).toEqual([
      ['MP', [11], 8],
      ['Conv', [12], 8],
      ['Conv', [11], 4],
      ['Conv', [14], 8],
      ['Concat', [15, 13], 8],
    ]);
    expect(spec.layers[51]).toMatchObject({ module: { name: 'SPPCSPC' }, outputChannels: 512 });
    expect(spec.layers.slice(102, 105).map((l) => [l.module.name, l.from, l.outputChannels])).toEqual([
      ['RepConv', [75], 256],
      ['RepConv', [88], 512],
      ['RepConv', [101], 1024],
    ]);
    expect(spec.layers[105]).toMatchObject({ module: { name: 'IDetect' }, from: [102, 103, 104], inputStrides: [8, 16, 32] });
  });

  it('yolov7-tiny: LeakyReLU(0.1) in every conv row, SP 5/9/13, IDetect on rows 74-76', () => {
    const spec = yoloV7Spec({ scale: 'yolov7-tiny', numClasses: 80 });
    const convs = spec.layers.filter((l) => l.module.name === 'Conv');
    expect(new Set(convs.map((l) => JSON.stringify((l.args as { act: unknown }).act)))).toEqual(new Set([JSON.stringify({ kind: 'leaky-relu', alpha: 0.1 })]));
    expect(spec.layers.filter((l) => l.module.name === 'SP').map((l) => (l.args as { k: number }).k)).toEqual([5, 9, 13]);
    expect(spec.layers[77]).toMatchObject({ from: [74, 75, 76] });
  });

  it('refuses an unknown model, naming the choices', () => {
    expect(() => yoloV7Spec({ scale: 'yolov7-e6', numClasses: 80 })).toThrow("unknown YOLOv7 model 'yolov7-e6'; choose yolov7, yolov7-tiny");
  });
});

describe('buildYoloV7', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it("yolov7 (nc 80) has 37,620,125 parameters (upstream's summary with a plain Detect, cfg/deploy/yolov7.yaml) plus IDetect's implicit ones (256 + 512 + 1024 + 3 x 255)", () => {
    const model = buildYoloV7({ scale: 'yolov7', numClasses: 80 });
    expect(model.parameterCount()).toBe(37_620_125 + 256 + 512 + 1024 + 3 * 255);
    model.dispose();
  });

  it('runs a forward pass of yolov7-tiny at 64 px: three levels of 3 x (5 + nc) channels', () => {
    const model = buildYoloV7({ scale: 'yolov7-tiny', numClasses: 2 });
    const images = tf.zeros([1, 64, 64, 3]) as tf.Tensor4D;
    const out = model.forward(images, { training: false });
    expect(out.head.map((t) => t.shape)).toEqual([
      [1, 8, 8, 21],
      [1, 4, 4, 21],
      [1, 2, 2, 21],
    ]);
    tf.dispose([images, ...out.head]);
    model.dispose();
  });
});
