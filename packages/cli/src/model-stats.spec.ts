import { selectBackend } from '@yolo-distill/backend';
import { modelStats } from '@yolo-distill/eval';
import { buildYoloV5 } from '@yolo-distill/yolo-v5';
import { buildYoloV8 } from '@yolo-distill/yolo-v8';

// eval's modelStats on the official definitions the adapters embed, against the numbers Ultralytics
// prints; it lives here because only the composition root may use eval and the adapters together.
const yolov5 = (scale: string) => buildYoloV5({ scale, numClasses: 80 });
const yolov8 = (scale: string) => buildYoloV8({ scale, numClasses: 80 });
const yolov5n = () => yolov5('n');
const yolov8n = () => yolov8('n');
/** GFLOPs as Ultralytics prints them: one decimal. */
const printed = (gflops: number) => Math.round(gflops * 10) / 10;

describe('modelStats', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('matches the numbers Ultralytics prints for YOLOv5n at 640 (1872157 / 1867405 fused parameters, 4.5 GFLOPs)', async () => {
    const model = yolov5n();
    const stats = await modelStats(model, { imageSize: 640 });
    model.dispose();
    expect(stats.parameters).toBe(1872157);
    expect(stats.fusedParameters).toBe(1867405);
    expect(printed(stats.gflops)).toBe(4.5); // 4.468
    // Row 0, Conv(3 -> 16, k6, s2, p2): a 320 x 320 x 16 map, each value 3 x 6 x 6 MACs.
    expect(stats.layers[0]).toMatchObject({ name: 'model.0', module: 'Conv', convs: 1, parameters: 16 * 3 * 36 + 2 * 16, flops: 2 * 320 * 320 * 16 * 3 * 36, outputShape: [320, 320, 16] });
    // The head: one 1x1 conv per level, 3 anchors x 85 outputs, on 80x80 (64 ch), 40x40 (128), 20x20 (256).
    const head = stats.layers[24];
    expect(head).toMatchObject({ module: 'Detect', convs: 3, flops: 2 * 255 * (80 * 80 * 64 + 40 * 40 * 128 + 20 * 20 * 256) });
    expect(head?.outputShape).toBeUndefined();
    expect(stats.layers.reduce((sum, l) => sum + l.parameters, 0)).toBe(stats.parameters);
    expect(stats.layers.reduce((sum, l) => sum + l.flops, 0)).toBe(stats.flops);
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
  });

  it('matches the numbers Ultralytics prints for YOLOv8n at 640 (3157200 / 3151904 fused parameters, 8.7 GFLOPs)', async () => {
    const model = yolov8n();
    const stats = await modelStats(model, { imageSize: 640 });
    model.dispose();
    expect(stats.parameters).toBe(3157200);
    expect(stats.fusedParameters).toBe(3151904);
    expect(printed(stats.gflops)).toBe(8.7); // 8.744
    // Row 0: Conv(3 -> 16, k3, s2).
    expect(stats.layers[0]?.flops).toBe(2 * 320 * 320 * 16 * 27);
    // The DFL (16 bins -> 1, 4 sides, 8400 anchors) is in the head's count.
    const head = stats.layers[22];
    expect(head?.convs).toBe(18); // per level: cv2 = Conv, Conv, Conv2d and cv3 the same
    expect(head?.module).toBe('Detect');
    expect(stats.layers.reduce((sum, l) => sum + l.flops, 0)).toBe(stats.flops);
  });

  it.each([
    ['yolov5s', () => yolov5('s'), 7235389, 7225885, 16.4],
    ['yolov8s', () => yolov8('s'), 11166560, 11156544, 28.6],
  ])('matches the fused summary Ultralytics prints for %s at 640', async (_name, build, parameters, fused, gflops) => {
    const model = build();
    const stats = await modelStats(model, { imageSize: 640 });
    model.dispose();
    expect([stats.parameters, stats.fusedParameters, printed(stats.gflops)]).toEqual([parameters, fused, gflops]);
  });
});
