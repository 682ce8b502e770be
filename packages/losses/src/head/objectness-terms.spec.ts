import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { objectnessLoss, qualityFocalLoss, sigmoidFocalLoss } from './objectness-terms.js';

// Reference values worked out with torchvision's sigmoid_focal_loss formula (reduction 'none'):
// p = sigmoid(x), ce = BCE(x, t), p_t = p t + (1 - p)(1 - t), loss = ce (1 - p_t)^gamma, times alpha_t when alpha >= 0.
const FOCAL = [
  { x: 1.5, t: 1, alpha: 0.25, gamma: 2, loss: 0.0016757117316439144 },
  { x: -0.5, t: 0, alpha: 0.25, gamma: 2, loss: 0.05068011788812772 },
  { x: 2, t: 0, alpha: 0.25, gamma: 2, loss: 1.2375586345660565 },
  { x: 0.3, t: 1, alpha: -1, gamma: 1.5, loss: 0.1538953537058298 },
];
// GFL's quality focal loss |q - p|^beta BCE(x, q).
const QFL = [
  { x: 1.5, q: 0.3, loss: 0.3352327666330226 },
  { x: -2, q: 0.9, loss: 1.174740248696887 },
];

describe('objectness terms', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it("sigmoidFocalLoss is torchvision's sigmoid_focal_loss, elementwise", () => {
    for (const { x, t, alpha, gamma, loss } of FOCAL) {
      const value = sigmoidFocalLoss(tf.scalar(x), tf.scalar(t), { alpha, gamma });
      expect(value.dataSync()[0]).toBeCloseTo(loss, 6);
    }
  });

  it('qualityFocalLoss is GFL\'s quality focal loss on soft targets', () => {
    for (const { x, q, loss } of QFL) expect(qualityFocalLoss(tf.scalar(x), tf.scalar(q), { beta: 2 }).dataSync()[0]).toBeCloseTo(loss, 6);
  });

  it('objectnessLoss binarises the teacher probability at the threshold for focal, keeps it soft for bce and qfl', () => {
    const logits = tf.tensor1d([1.5, -0.5]);
    const teacher = tf.tensor1d([0.7, 0.2]);
    const focal = objectnessLoss(logits, teacher, { type: 'focal', gamma: 2, alpha: 0.25, threshold: 0.5 }).dataSync();
    expect(focal[0]).toBeCloseTo(FOCAL[0]!.loss, 6);
    expect(focal[1]).toBeCloseTo(FOCAL[1]!.loss, 6);
    const bce = objectnessLoss(logits, teacher, { type: 'bce' }).dataSync();
    const softplus = (v: number) => Math.log1p(Math.exp(v));
    expect(bce[0]).toBeCloseTo(0.7 * softplus(-1.5) + 0.3 * softplus(1.5), 6);
    expect(objectnessLoss(tf.tensor1d([1.5]), tf.tensor1d([0.3]), { type: 'qfl', beta: 2 }).dataSync()[0]).toBeCloseTo(QFL[0]!.loss, 6);
  });

  it('sends no gradient to the teacher', () => {
    const [, gt] = tf.grads((s: tf.Tensor, t: tf.Tensor) => tf.sum(objectnessLoss(s, t, { type: 'bce' })))([tf.tensor1d([0.2, -1]), tf.tensor1d([0.4, 0.9])]);
    expect(Array.from(gt?.dataSync() ?? [1])).toEqual([0, 0]);
  });
});
