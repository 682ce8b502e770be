import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { boxIoU, xywhToXyxy, xyxyToXywh } from './box-iou.js';

const EPS = 1e-7;
// Hand-worked pair: A = (0,0)-(4,4), B = (2,2)-(6,8) in xyxy.
// intersection 2*2 = 4; areas 16 and 24 -> union 36; IoU = 1/9.
// enclosing box (0,0)-(6,8): area 48 -> GIoU = 1/9 - (48-36)/48 = 1/9 - 1/4.
// centres (2,2) and (4,5): distance^2 = 4 + 9 = 13; diagonal^2 = 36 + 64 = 100 -> DIoU = 1/9 - 0.13.
// v = 4/pi^2 (atan(4/6) - atan(4/4))^2, alpha = v / (v - IoU + 1) -> CIoU = DIoU - alpha v.
const a = [0, 0, 4, 4];
const b = [2, 2, 6, 8];
const iou = 4 / (36 + EPS);
const v = (4 / Math.PI ** 2) * (Math.atan(4 / 6) - Math.atan(4 / 4)) ** 2;

async function value(kind: 'iou' | 'giou' | 'diou' | 'ciou', format: 'xyxy' | 'xywh' = 'xyxy', first = a, second = b): Promise<number> {
  const result = boxIoU(tf.tensor2d([first]), tf.tensor2d([second]), { kind, format });
  return (await result.data())[0] as number;
}

describe('boxIoU', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('IoU, GIoU, DIoU and CIoU of a hand-worked pair', async () => {
    expect(await value('iou')).toBeCloseTo(1 / 9, 6);
    expect(await value('giou')).toBeCloseTo(1 / 9 - 12 / 48, 6);
    expect(await value('diou')).toBeCloseTo(1 / 9 - 13 / 100, 6);
    expect(await value('ciou')).toBeCloseTo(1 / 9 - 13 / 100 - (v / (v - iou + 1)) * v, 6);
  });

  it('reads xywh as centre and size', async () => {
    expect(await value('ciou', 'xywh', [2, 2, 4, 4], [4, 5, 4, 6])).toBeCloseTo(await value('ciou'), 6);
  });

  it('gives 1 for identical boxes and 0 (IoU) or negative (GIoU) for disjoint ones', async () => {
    expect(await value('ciou', 'xyxy', a, a)).toBeCloseTo(1, 5);
    expect(await value('iou', 'xyxy', [0, 0, 1, 1], [2, 2, 3, 3])).toBe(0);
    expect(await value('giou', 'xyxy', [0, 0, 1, 1], [2, 2, 3, 3])).toBeCloseTo(0 - (9 - 2) / 9, 6);
  });

  it('broadcasts [n,1,4] against [1,m,4] into an n x m matrix', async () => {
    const matrix = boxIoU(tf.tensor3d([[a], [b]]), tf.tensor3d([[a, b]]));
    expect(matrix.shape).toEqual([2, 2, 1]);
    const values = await matrix.data();
    expect(values[0]).toBeCloseTo(1, 5);
    expect(values[1]).toBeCloseTo(1 / 9, 5);
  });

  it('lets no gradient through the CIoU aspect weight alpha (as Ultralytics computes it under no_grad)', async () => {
    // d(CIoU)/d(x2 of A) with alpha treated as a constant, by central finite differences on that same definition.
    const grad = tf.grad((x: tf.Tensor) => tf.sum(boxIoU(x, tf.tensor2d([b]), { kind: 'ciou' })))(tf.tensor2d([a]));
    const g = (await grad.data())[2] as number;
    const h = 1e-3;
    const alpha = v / (v - iou + 1);
    const ciouWithFixedAlpha = (x2: number) => {
      const w1 = x2;
      const inter = Math.max(0, Math.min(x2, 6) - 2) * 2;
      const union = w1 * (4 + EPS) + 4 * (6 + EPS) - inter + EPS;
      const cw = Math.max(x2, 6);
      const diag = cw * cw + 64 + EPS;
      const dist = ((8 - x2) ** 2 + 36) / 4;
      const vv = (4 / Math.PI ** 2) * (Math.atan(4 / (6 + EPS)) - Math.atan(w1 / (4 + EPS))) ** 2;
      return inter / union - dist / diag - alpha * vv;
    };
    expect(g).toBeCloseTo((ciouWithFixedAlpha(4 + h) - ciouWithFixedAlpha(4 - h)) / (2 * h), 3);
  });

  it('converts between xywh and xyxy', async () => {
    expect(Array.from(await xywhToXyxy(tf.tensor2d([[2, 2, 4, 4]])).data())).toEqual([0, 0, 4, 4]);
    expect(Array.from(await xyxyToXywh(tf.tensor2d([[2, 2, 6, 8]])).data())).toEqual([4, 5, 4, 6]);
  });
});
