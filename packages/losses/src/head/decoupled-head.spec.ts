import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { ConfigError, ConfigLocation, InlineConfigSource, type ImageBatch, type ModelOutput } from '@yolo-distill/core';
import { decoupledHead, headLayout, type DecoupledHeadConfig } from './decoupled-head.js';

const LN3 = Math.log(3);
// p_t = (1/4, 3/4) vs p_s = (1/2, 1/2)
const KL_QUARTER = 0.25 * Math.log(0.5) + 0.75 * Math.log(1.5);
const at = new ConfigLocation(new InlineConfigSource('p.yaml'));
const batch = {} as ImageBatch;
const step = { epoch: 0, epochs: 1, step: 0 };

const parse = (raw: unknown): DecoupledHeadConfig => decoupledHead.parse(raw, at);
const out = (...head: tf.Tensor[]): ModelOutput => ({ head, features: {} });

async function lossOf(raw: unknown, student: ModelOutput, teacher: ModelOutput, at = step): Promise<number> {
  const loss = await decoupledHead.create(parse(raw), {} as never);
  const value = loss.compute(student, teacher, batch, at);
  const [v] = await value.data();
  value.dispose();
  return v ?? Number.NaN;
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('losses.DecoupledHead parse', () => {
  it('fills the defaults', () => {
    const cfg = parse({});
    expect(cfg).toMatchObject({ weight: 1, temperature: 3, cls: 'kl', box: 'ciou', objectness: { focal: { gamma: 2, alpha: 0.25 } }, dfl: { weight: 1, temperature: 1 } });
    expect(cfg.head.regMax).toBe(16);
  });

  it('rejects an unknown cls kind with a ConfigError', () => {
    expect(() => parse({ cls: 'mse' })).toThrow(ConfigError);
  });
});

describe('headLayout', () => {
  it('uses head.kind or infers it from head.classes', () => {
    const head = parse({ head: { classes: 2, regMax: 2, anchors: [[[1, 1]]] } }).head;
    // 1 * (5 + 2) = 7 -> anchor-based; 4 * 2 + 2 = 10 -> anchor-free
    expect(headLayout(head, 0, 7)).toEqual({ kind: 'anchor-based', classes: 2, na: 1, regMax: 2 });
    expect(headLayout(head, 0, 10)).toEqual({ kind: 'anchor-free', classes: 2, na: 1, regMax: 2 });
    expect(headLayout(parse({ head: { kind: 'anchor-based' } }).head, 0, 3 * 85)).toMatchObject({ classes: 80, na: 3 });
    expect(headLayout(parse({ head: { kind: 'anchor-free' } }).head, 0, 64 + 80)).toMatchObject({ classes: 80 });
  });

  it('names what to set when it cannot split', () => {
    expect(() => headLayout(parse({}).head, 0, 10)).toThrow(/set head.kind/);
    expect(() => headLayout(parse({ head: { classes: 3 } }).head, 0, 10)).toThrow(/10 channels/);
  });
});

describe('losses.DecoupledHead compute', () => {
  it('anchor-free: weight * (9 KL + 0 box + 0 DFL) when only the class logits differ', async () => {
    // C = 4*2 + 2; student all 0; teacher bins 0 (same boxes, same bins), classes (0, 3 ln3) -> /3 -> (1/4, 3/4)
    const s = tf.zeros([1, 1, 1, 10]);
    const t = tf.tensor4d([0, 0, 0, 0, 0, 0, 0, 0, 0, 3 * LN3], [1, 1, 1, 10]);
    const value = await lossOf({ weight: 0.5, head: { kind: 'anchor-free', regMax: 2 } }, out(s), out(t));
    expect(value).toBeCloseTo(0.5 * 9 * KL_QUARTER, 4);
  });

  it('anchor-based: 9 KL + objectness focal when class and objectness logits differ', async () => {
    // na 1, C = 5 + 2; teacher obj ln3 -> q = 3/4; focal: .375 * (1/4)^2 * ln2; boxes equal -> 0
    const s = tf.zeros([1, 1, 1, 7]);
    const t = tf.tensor4d([0, 0, 0, 0, LN3, 0, 3 * LN3], [1, 1, 1, 7]);
    const value = await lossOf({ head: { kind: 'anchor-based', anchors: [[[1, 1]]] } }, out(s), out(t));
    expect(value).toBeCloseTo(9 * KL_QUARTER + (0.375 / 16) * Math.LN2, 4);
  });

  it('restricts to teacher-confident locations', async () => {
    // location 0: student = teacher, conf sigmoid(3 ln3) = 27/28; location 1: teacher classes (-5, 0),
    // conf 1/2, student differs. threshold 0.9 keeps location 0 only -> 0.
    const teacher = [0, 0, 0, 0, 0, 0, 0, 0, 0, 3 * LN3, 0, 0, 0, 0, 0, 0, 0, 0, -5, 0];
    const student = [0, 0, 0, 0, 0, 0, 0, 0, 0, 3 * LN3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const s = tf.tensor4d(student, [1, 1, 2, 10]);
    const t = tf.tensor4d(teacher, [1, 1, 2, 10]);
    const head = { kind: 'anchor-free', regMax: 2 };
    expect(await lossOf({ head }, out(s), out(t))).toBeGreaterThan(0.01);
    expect(await lossOf({ head, positives: { threshold: 0.9 } }, out(s), out(t))).toBeCloseTo(0, 5);
    expect(await lossOf({ head, positives: { topk: 1 } }, out(s), out(t))).toBeCloseTo(0, 5);
  });

  it('has no taps, leaks nothing, and gives the teacher no gradient', async () => {
    const loss = await decoupledHead.create(parse({ head: { kind: 'anchor-based', anchors: [[[1, 2], [2, 1]]] } }), {} as never);
    expect(loss.taps).toEqual([]);
    const s = tf.randomNormal([2, 2, 2, 14]);
    const t = tf.randomNormal([2, 2, 2, 14]);
    const before = tf.memory().numTensors;
    const [gs, gt] = tf.grads((a: tf.Tensor, b: tf.Tensor) => loss.compute(out(a), out(b), batch, step))([s, t]);
    expect(tf.memory().numTensors - before).toBe(2);
    expect(Math.max(...Array.from(await tf.abs(gt!).data()))).toBe(0);
    expect(Math.max(...Array.from(await tf.abs(gs!).data()))).toBeGreaterThan(0);
  });

  it('follows a temperature step decay and a linear warm-up', async () => {
    const s = tf.zeros([1, 1, 1, 10]);
    const t = tf.tensor4d([0, 0, 0, 0, 0, 0, 0, 0, 0, 3 * LN3], [1, 1, 1, 10]);
    const raw = { temperature: { start: 3, end: 1, every: 10, by: 2 }, head: { kind: 'anchor-free', regMax: 2 } };
    // epoch 0: tau 3 -> 9 KL_QUARTER
    expect(await lossOf(raw, out(s), out(t), { epoch: 0, epochs: 20, step: 0 })).toBeCloseTo(9 * KL_QUARTER, 4);
    // epoch 10: tau 1 -> p_t = (1/28, 27/28) vs (1/2, 1/2): 1/28 ln(2/28) + 27/28 ln(54/28)
    const kl1 = (1 / 28) * Math.log(2 / 28) + (27 / 28) * Math.log(54 / 28);
    expect(await lossOf(raw, out(s), out(t), { epoch: 10, epochs: 20, step: 0 })).toBeCloseTo(kl1, 4);
    // warm-up 4 epochs: epoch 0 gets (0 + 1) / 4 of 9 KL_QUARTER
    expect(await lossOf({ warmup: 4, head: raw.head }, out(s), out(t))).toBeCloseTo((9 * KL_QUARTER) / 4, 4);
  });

  it('rejects mismatched levels', async () => {
    const loss = await decoupledHead.create(parse({ head: { kind: 'anchor-free', regMax: 2 } }), {} as never);
    expect(() => loss.compute(out(tf.zeros([1, 1, 1, 10])), out(tf.zeros([1, 2, 1, 10])), batch, step)).toThrow(/shapes differ/);
  });
});
