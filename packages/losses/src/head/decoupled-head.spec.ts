import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { ConfigError, ConfigLocation, InlineConfigSource, type HeadDescription, type ImageBatch, type ModelOutput, type StepInfo } from '@yolo-distill/core';
import { decoupledHead, DecoupledHeadLoss, type DecoupledHeadConfig } from './decoupled-head.js';

const LN2 = Math.log(2);
const LN3 = Math.log(3);
const at = new ConfigLocation(new InlineConfigSource('p.yaml'));
const batch = {} as ImageBatch;
const step: StepInfo = { epoch: 0, epochs: 1, step: 0 };

const parse = (raw: unknown): DecoupledHeadConfig => decoupledHead.parse(raw, at);
const out = (...head: tf.Tensor[]): ModelOutput => ({ head, features: {} });
/** One level, stride 8, anchors of one grid cell (8 px), balance 4 as v5's P3. */
const v5Head = (nc: number, anchors: [number, number][] = [[8, 8]], levels = 1): HeadDescription => ({
  kind: 'anchor-based',
  numClasses: nc,
  strides: [8, 16, 32].slice(0, levels),
  anchors: Array.from({ length: levels }, (_, i) => anchors.map(([w, h]) => [w * 2 ** i, h * 2 ** i] as [number, number])),
  levelBalance: [4, 1, 0.4].slice(0, levels),
});
const v8Head = (nc: number, regMax: number): HeadDescription => ({ kind: 'anchor-free', numClasses: nc, strides: [8], regMax });

function lossOf(raw: unknown, heads: { student: HeadDescription; teacher?: HeadDescription }, student: ModelOutput, teacher: ModelOutput, info = step): number {
  const loss = new DecoupledHeadLoss(parse(raw));
  loss.bind(heads);
  const value = loss.compute(student, teacher, batch, info);
  const v = value.dataSync()[0] as number;
  value.dispose();
  return v;
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('losses.DecoupledHead parse', () => {
  it('fills the defaults of the field recipe', () => {
    expect(parse({})).toMatchObject({ weight: 1, temperature: 1, cls: 'bce', box: 'ciou', objectness: { type: 'bce' }, dfl: { weight: 1, temperature: 1 }, until: 1, decay: 'none' });
    expect(new DecoupledHeadLoss(parse({ weight: { relative: 0.5 } })).relativeWeight).toBe(0.5);
  });

  it('rejects an unknown cls kind and the removed head: key with a ConfigError', () => {
    expect(() => parse({ cls: 'mse' })).toThrow(ConfigError);
    expect(() => parse({ head: { kind: 'anchor-based' } })).toThrow(ConfigError);
  });

  it('says when no head was bound', () => {
    const loss = new DecoupledHeadLoss(parse({}));
    expect(() => loss.compute(out(tf.zeros([1, 1, 1, 7])), out(tf.zeros([1, 1, 1, 7])), batch, step)).toThrow(/no head description was bound/);
  });
});

describe('losses.DecoupledHead, anchor-based (v5) student and teacher', () => {
  // Two cells, one anchor of one cell, one class; identical boxes (all box logits 0).
  // cell 0: teacher obj ln3 (0.75), cls 0 (0.5);  cell 1: teacher obj -ln3 (0.25), cls ln3 (0.75).
  // student: obj 0 in both; cls 0 in cell 0, ln3 in cell 1.
  const teacher = () => tf.tensor4d([0, 0, 0, 0, LN3, 0, 0, 0, 0, 0, -LN3, LN3], [1, 1, 2, 6]);
  const student = () => tf.tensor4d([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, LN3], [1, 1, 2, 6]);
  const heads = { student: v5Head(1) };

  it('objectness BCE at every cell times the level balance; class BCE weighted by teacher objectness', () => {
    // obj: BCE(0, q) = ln2 in both cells, mean ln2, times balance 4.
    // cls: cell 0 BCE(0, 0.5) = ln2 with weight 0.75; cell 1 BCE(ln3, 0.75) = ln4 - 0.75 ln3 with weight 0.25.
    const cls = (0.75 * LN2 + 0.25 * (2 * LN2 - 0.75 * LN3)) / (0.75 + 0.25);
    expect(lossOf({}, heads, out(student()), out(teacher()))).toBeCloseTo(4 * LN2 + cls, 5);
    expect(lossOf({ weight: 0.5, objWeight: 0 }, heads, out(student()), out(teacher()))).toBeCloseTo(0.5 * cls, 5);
  });

  it('the torchvision focal form on objectness binarised at 0.5', () => {
    // targets 1 (0.75 > 0.5) and 0; p = 0.5: ce ln2, (1 - p_t)^2 = 1/4, alpha_t 0.25 and 0.75.
    const obj = 4 * ((LN2 * 0.25 * 0.25 + LN2 * 0.25 * 0.75) / 2);
    expect(lossOf({ clsWeight: 0, boxWeight: 0, objectness: { type: 'focal' } }, heads, out(student()), out(teacher()))).toBeCloseTo(obj, 6);
  });

  it('the quality focal form on the soft objectness', () => {
    // |q - 0.5|^2 BCE(0, q) = 0.0625 ln2 in both cells.
    expect(lossOf({ clsWeight: 0, boxWeight: 0, objectness: { type: 'qfl' } }, heads, out(student()), out(teacher()))).toBeCloseTo(4 * 0.0625 * LN2, 6);
  });

  it('gives background rows no class signal', () => {
    const bg = (cls: number) => tf.tensor4d([0, 0, 0, 0, -30, 0, 0, 0, 0, 0, 30, 0].map((v, i) => (i === 5 ? cls : v)), [1, 1, 2, 6]);
    const t = tf.tensor4d([0, 0, 0, 0, -30, 5, 0, 0, 0, 0, 30, -5], [1, 1, 2, 6]);
    const a = lossOf({ objWeight: 0 }, heads, out(bg(0)), out(t));
    const b = lossOf({ objWeight: 0 }, heads, out(bg(8)), out(t));
    expect(Math.abs(a - b)).toBeLessThan(1e-6);
  });

  it('weights the box term by objectness: 1 - CIoU of decoded boxes', () => {
    // student wh logits s with (2 sigmoid(s))^2 = 4 -> w = h = 4 cells against the teacher's 1: IoU 1/16, same centre and aspect.
    const s = tf.tensor4d([0, 0, 30, 30, 0, 0], [1, 1, 1, 6]);
    const t = tf.tensor4d([0, 0, 0, 0, LN3, 0], [1, 1, 1, 6]);
    expect(lossOf({ clsWeight: 0, objWeight: 0 }, heads, out(s), out(t))).toBeCloseTo(1 - 1 / 16, 5);
  });

  it('pools class and box over levels but balances objectness per level', () => {
    const two = { student: v5Head(1, [[8, 8]], 2) };
    // level 0: one cell as cell 0 above; level 1: one cell as cell 1 above.
    const s = [tf.tensor4d([0, 0, 0, 0, 0, 0], [1, 1, 1, 6]), tf.tensor4d([0, 0, 0, 0, 0, LN3], [1, 1, 1, 6])];
    const t = [tf.tensor4d([0, 0, 0, 0, LN3, 0], [1, 1, 1, 6]), tf.tensor4d([0, 0, 0, 0, -LN3, LN3], [1, 1, 1, 6])];
    const cls = 0.75 * LN2 + 0.25 * (2 * LN2 - 0.75 * LN3);
    expect(lossOf({}, two, out(...s), out(...t))).toBeCloseTo(4 * LN2 + 1 * LN2 + cls, 5);
  });

  it('the softmax KL variant at a temperature, times tau^2', () => {
    // two classes, teacher logits (0, 2 ln3) / 2 -> (1/4, 3/4); student 0 -> (1/2, 1/2); teacher obj 0 -> weight 0.5.
    const s = tf.tensor4d([0, 0, 0, 0, 0, 0, 0], [1, 1, 1, 7]);
    const t = tf.tensor4d([0, 0, 0, 0, 0, 0, 2 * LN3], [1, 1, 1, 7]);
    const kl = 0.25 * Math.log(0.5) + 0.75 * Math.log(1.5);
    expect(lossOf({ cls: 'kl', temperature: 2, objWeight: 0 }, { student: v5Head(2) }, out(s), out(t))).toBeCloseTo(4 * kl, 5);
  });

  it('reports the foreground share for diagnose', () => {
    const loss = new DecoupledHeadLoss(parse({ foreground: 0.5 }));
    loss.bind(heads);
    const parts = loss.breakdown(out(student()), out(teacher()), batch, step);
    const values = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, v.dataSync()[0] as number]));
    const cls0 = (0.75 * LN2) / 1;
    const cls1 = (0.25 * (2 * LN2 - 0.75 * LN3)) / 1;
    // only cell 0 (teacher objectness 0.75) is foreground: its class part plus half the balanced obj mean.
    expect(values['foregroundShare']).toBeCloseTo((cls0 + 2 * LN2) / (4 * LN2 + cls0 + cls1), 5);
    expect(values['obj']).toBeCloseTo(4 * LN2, 5);
  });
});

describe('losses.DecoupledHead, anchor-free (v8)', () => {
  it('class BCE against the teacher scores, DFL KL and CIoU, weighted by the max class score', () => {
    // regMax 2, one class: all bins 0 (same boxes, same bins); teacher cls ln3 -> 0.75; student cls 0: BCE ln2.
    const s = tf.zeros([1, 1, 1, 9]);
    const t = tf.tensor4d([0, 0, 0, 0, 0, 0, 0, 0, LN3], [1, 1, 1, 9]);
    expect(lossOf({}, { student: v8Head(1, 2) }, out(s), out(t))).toBeCloseTo(LN2, 5);
    // DFL: teacher bins (0, ln3) per side -> (1/4, 3/4) against (1/2, 1/2): KL as above, mean over sides.
    const tb = tf.tensor4d([0, LN3, 0, LN3, 0, LN3, 0, LN3, LN3], [1, 1, 1, 9]);
    const kl = 0.25 * Math.log(0.5) + 0.75 * Math.log(1.5);
    expect(lossOf({ clsWeight: 0, boxWeight: 0 }, { student: v8Head(1, 2) }, out(s), out(tb))).toBeCloseTo(kl, 5);
  });
});

describe('losses.DecoupledHead across head kinds', () => {
  it('an anchor-free teacher gives every anchor of a cell its box and score', () => {
    // teacher v8 (regMax 2): uniform bins -> box (0.5, 0.5, 1, 1); score 0.75. Student v5, anchors 1 and 2 cells.
    const t = tf.tensor4d([0, 0, 0, 0, 0, 0, 0, 0, LN3], [1, 1, 1, 9]);
    const s = tf.zeros([1, 1, 1, 12]);
    // obj: BCE(0, 0.75) = ln2 at both anchors, balance 4; cls ln2; box: anchor 0 exact, anchor 1 IoU 1/4 -> mean 0.375.
    const heads = { student: v5Head(1, [[8, 8], [16, 16]]), teacher: v8Head(1, 2) };
    expect(lossOf({}, heads, out(s), out(t))).toBeCloseTo(4 * LN2 + LN2 + 0.375, 5);
  });

  it("an anchor-based teacher gives an anchor-free student its best anchor's box and obj x class score", () => {
    // teacher anchors: 0 (obj 0.5, cls 0.5 -> 0.25), 1 (obj 0.75, cls 0.75 -> 0.5625): anchor 1 wins, box (0.5, 0.5, 1, 1).
    const t = tf.tensor4d([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, LN3, LN3], [1, 1, 1, 12]);
    const s = tf.zeros([1, 1, 1, 9]);
    // cls BCE(0, 0.5625) = ln2; box exact; DFL to distances 0.5: CE to bins 0 and 1 at weights 1/2 -> ln2.
    const heads = { student: v8Head(1, 2), teacher: v5Head(1, [[8, 8], [8, 8]]) };
    expect(lossOf({}, heads, out(s), out(t))).toBeCloseTo(2 * LN2, 5);
  });
});

describe('losses.DecoupledHead weight schedules', () => {
  it('applies decay and until; calibration sees the base weight', () => {
    const s = tf.zeros([1, 1, 1, 9]);
    const t = tf.tensor4d([0, 0, 0, 0, 0, 0, 0, 0, LN3], [1, 1, 1, 9]);
    const heads = { student: v8Head(1, 2) };
    const raw = { weight: 2, until: 0.5, decay: { type: 'cosine', to: 0.1 } };
    expect(lossOf(raw, heads, out(s), out(t), { epoch: 0, epochs: 4, step: 0 })).toBeCloseTo(2 * LN2, 5);
    // epoch 1 of 4: 0.1 + 0.9 * 0.5 * (1 + cos(pi / 4))
    expect(lossOf(raw, heads, out(s), out(t), { epoch: 1, epochs: 4, step: 0 })).toBeCloseTo(2 * LN2 * (0.1 + 0.45 * (1 + Math.SQRT1_2)), 5);
    expect(lossOf(raw, heads, out(s), out(t), { epoch: 2, epochs: 4, step: 0 })).toBe(0);
    expect(lossOf(raw, heads, out(s), out(t), { epoch: 3, epochs: 4, step: 0, calibrating: true })).toBeCloseTo(2 * LN2, 5);
  });
});
