import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { ConfigError, ConfigLocation, parseYamlText, type DistillLoss, type ImageBatch, type ModelOutput, type StepInfo, type Tensor4D } from '@yolo-distill/core';
import { attentionMSE, AttentionMSELoss } from './attention-mse.js';
import { channelWiseKL } from './channel-wise-kl.js';
import { featureCosine } from './feature-cosine.js';
import { featureL2 } from './feature-l2.js';
import { pkd } from './pkd.js';
import { scoreWeightedL2, type ScoreWeightedL2Loss } from './score-weighted-l2.js';

const batch = {} as ImageBatch;
const step: StepInfo = { epoch: 0, epochs: 1, step: 0 };
const context = {} as Parameters<typeof featureL2.create>[1];

/** Deterministic values for an NHWC shape. */
function values(shape: readonly number[], seed: number): number[] {
  const size = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: size }, (_, i) => Math.sin(seed * 7.3 + i * 1.7) * 2);
}
const output = (tap: string, map: Tensor4D): ModelOutput => ({ head: [], features: { [tap]: map } });

function parse<C>(descriptor: { parse(raw: unknown, at: ConfigLocation): C }, yaml: string): C {
  const loaded = parseYamlText(yaml, 'l.yaml', { env: {} });
  return descriptor.parse(loaded.value, new ConfigLocation(loaded.source));
}

const S = [1, 2, 2, 3] as const;
const sv = values(S, 1);
const tv = values(S, 2);
const at = (v: number[], n: number, y: number, x: number, c: number, [, h, w, ch]: readonly number[] = S): number => v[((n * h + y) * w + x) * ch + c] ?? NaN;

// Plain JS references.
const refL2 = (a: number[], b: number[]): number => a.reduce((sum, x, i) => sum + (x - (b[i] ?? 0)) ** 2, 0) / a.length;
function refCwd(a: number[], b: number[], shape: readonly number[], tau: number): number {
  const [n = 0, h = 0, w = 0, c = 0] = shape;
  let total = 0;
  for (let b0 = 0; b0 < n; b0++)
    for (let ch = 0; ch < c; ch++) {
      const xs: number[] = [];
      const ys: number[] = [];
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) (xs.push(at(a, b0, y, x, ch, shape) / tau), ys.push(at(b, b0, y, x, ch, shape) / tau));
      const soft = (z: number[]): number[] => {
        const m = Math.max(...z);
        const e = z.map((v) => Math.exp(v - m));
        const s = e.reduce((p, q) => p + q, 0);
        return e.map((v) => v / s);
      };
      const ps = soft(xs);
      const pt = soft(ys);
      total += pt.reduce((sum, p, i) => sum + p * Math.log(p / (ps[i] ?? 1)), 0);
    }
  return (total / (n * c)) * tau * tau;
}
/** Per-channel standardisation over (N, H, W): biased variance + eps inside the root, or the sample std + eps outside. */
function refStandardize(v: number[], shape: readonly number[], eps: number, sample: boolean, stdEps = 0): number[] {
  const c = shape[3] ?? 1;
  const count = v.length / c;
  const out = [...v];
  for (let ch = 0; ch < c; ch++) {
    const xs = v.filter((_, i) => i % c === ch);
    const mean = xs.reduce((a, b) => a + b, 0) / count;
    const sq = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
    const std = sample ? Math.sqrt(sq / (count - 1)) + stdEps : Math.sqrt(sq / count + eps);
    for (let i = ch; i < v.length; i += c) out[i] = ((v[i] ?? 0) - mean) / std;
  }
  return out;
}
function refCosine(a: number[], b: number[], shape: readonly number[]): number {
  const [n = 0, h = 0, w = 0, c = 0] = shape;
  let total = 0;
  for (let b0 = 0; b0 < n; b0++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let dot = 0, na = 0, nb = 0;
        for (let ch = 0; ch < c; ch++) {
          const p = at(a, b0, y, x, ch, shape), q = at(b, b0, y, x, ch, shape);
          dot += p * q; na += p * p; nb += q * q;
        }
        total += 1 - dot / Math.sqrt(na * nb);
      }
  return total / (n * h * w);
}

describe('feature losses', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('FeatureL2 is the element mean of squared differences, times weight and gamma', () => {
    const loss = featureL2.create(parse(featureL2, 'student: a\nteacher: b\nweight: 0.5\ngamma: 2\n'), context) as DistillLoss;
    const s = tf.tensor4d(sv, [...S]);
    const t = tf.tensor4d(tv, [...S]);
    const before = tf.memory().numTensors;
    const value = loss.compute(output('a', s), output('b', t), batch, step);
    expect(value.dataSync()[0]).toBeCloseTo(refL2(sv, tv) * 0.5 * 2, 5);
    value.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // By hand: student 1..4, teacher 0 -> (1+4+9+16)/4 = 7.5
    const byHand = featureL2.create(parse(featureL2, 'student: a\nteacher: b\n'), context);
    expect((byHand as DistillLoss).compute(output('a', tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1])), output('b', tf.zeros([1, 2, 2, 1])), batch, step).dataSync()[0]).toBeCloseTo(7.5, 6);
  });

  it('switches on at epoch `from` and ramps its weight over `warmup` epochs (progressive activation)', () => {
    const loss = featureL2.create(parse(featureL2, 'student: a\nteacher: b\nweight: 2\nfrom: 3\nwarmup: 4\nconnector: auto\n'), context) as DistillLoss;
    const s = output('a', tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]));
    const t = output('b', tf.zeros([1, 2, 2, 2]) as Tensor4D);
    const at = (epoch: number) => loss.compute(s, t, batch, { epoch, epochs: 10, step: 0 }).dataSync()[0] as number;
    expect(at(0)).toBe(0);
    // Inactive, but its connector (1 -> 2 channels) already exists for the optimiser to hold.
    expect(loss.trainableVariables?.()).toHaveLength(1);
    const full = at(20) / 2;
    expect(full).toBeGreaterThan(0);
    expect(at(2)).toBe(0);
    expect(at(3)).toBeCloseTo(2 * full * 0.25, 5); // (epoch - from + 1) / warmup = 1/4
    expect(at(5)).toBeCloseTo(2 * full * 0.75, 5);
    expect(at(6)).toBeCloseTo(2 * full, 5);
  });

  it('ChannelWiseKL matches a plain JS CWD on standardised maps at the default tau (1), and on raw maps at tau 4', () => {
    const s = tf.tensor4d(sv, [...S]);
    const t = tf.tensor4d(tv, [...S]);
    const cfg = parse(channelWiseKL, 'student: a\nteacher: b\n');
    expect(cfg.tau).toBe(1);
    expect(cfg.normalize).toBe(true);
    const normalised = (channelWiseKL.create(cfg, context) as DistillLoss).compute(output('a', s), output('b', t), batch, step);
    expect(normalised.dataSync()[0]).toBeCloseTo(refCwd(refStandardize(sv, S, 1e-5, false), refStandardize(tv, S, 1e-5, false), S, 1), 5);
    const raw = parse(channelWiseKL, 'student: a\nteacher: b\ntau: 4\nnormalize: false\n');
    const four = (channelWiseKL.create(raw, context) as DistillLoss).compute(output('a', s), output('b', t), batch, step);
    expect(four.dataSync()[0]).toBeCloseTo(refCwd(sv, tv, S, 4), 5);
    // Standardisation makes CWD blind to a per-channel scale and shift of the student.
    const scaled = tf.tensor4d(sv.map((v, i) => v * (1 + (i % 3)) + 5), [...S]);
    const same = (channelWiseKL.create(cfg, context) as DistillLoss).compute(output('a', scaled), output('b', s), batch, step);
    expect(same.dataSync()[0]).toBeCloseTo(0, 5);
  });

  it('PKD is MSE / 2 of maps standardised per channel with the sample std (a plain JS second implementation)', () => {
    const loss = pkd.create(parse(pkd, 'student: a\nteacher: b\n'), context) as DistillLoss;
    const value = loss.compute(output('a', tf.tensor4d(sv, [...S])), output('b', tf.tensor4d(tv, [...S])), batch, step);
    expect(value.dataSync()[0]).toBeCloseTo(refL2(refStandardize(sv, S, 0, true, 1e-6), refStandardize(tv, S, 0, true, 1e-6)) / 2, 5);
  });

  it('ScoreWeightedL2 weighs the projected squared error per cell by the teacher head score', () => {
    const loss = scoreWeightedL2.create(parse(scoreWeightedL2, 'student: neck.0\nteacher: neck.0\n'), context) as ScoreWeightedL2Loss;
    // an anchor-free teacher head with one class: scores sigmoid(logit) per cell of the 2x2 map
    loss.bind({ student: { kind: 'anchor-free', numClasses: 1, strides: [8], regMax: 1 } });
    const logits = [0, Math.log(3), -Math.log(3), 2];
    const head = tf.tensor4d(logits.flatMap((l) => [0, 0, 0, 0, l]), [1, 2, 2, 5]);
    const s = tf.tensor4d(sv, [...S]);
    const t = tf.tensor4d(tv, [...S]);
    const value = loss.compute({ head: [], features: { 'neck.0': s } }, { head: [head], features: { 'neck.0': t } }, batch, step);
    const [k0, k1] = loss.trainableVariables().map((v) => Array.from(v.dataSync()));
    expect(k0).toHaveLength(9);
    const project = (y: number, x: number): number[] => {
      const hidden = [0, 1, 2].map((o) => [0, 1, 2].reduce((z, c) => z + at(sv, 0, y, x, c) * (k0?.[c * 3 + o] ?? 0), 0));
      const silu = hidden.map((h) => h / (1 + Math.exp(-h)));
      return [0, 1, 2].map((o) => [0, 1, 2].reduce((z, c) => z + (silu[c] ?? 0) * (k1?.[c * 3 + o] ?? 0), 0));
    };
    let num = 0;
    let den = 0;
    for (let y = 0; y < 2; y++)
      for (let x = 0; x < 2; x++) {
        const score = 1 / (1 + Math.exp(-(logits[y * 2 + x] ?? 0)));
        const p = project(y, x);
        num += (score * [0, 1, 2].reduce((e, c) => e + ((p[c] ?? 0) - at(tv, 0, y, x, c)) ** 2, 0)) / 3;
        den += score;
      }
    expect(value.dataSync()[0]).toBeCloseTo(num / den, 5);
    expect(() => scoreWeightedL2.create(parse(scoreWeightedL2, 'student: layer.4\nteacher: layer.4\n'), context)).toThrow(/set 'level'/);
  });

  it('FeatureCosine is one minus the per-position cosine, averaged', () => {
    const loss = featureCosine.create(parse(featureCosine, 'student: a\nteacher: b\n'), context) as DistillLoss;
    const value = loss.compute(output('a', tf.tensor4d(sv, [...S])), output('b', tf.tensor4d(tv, [...S])), batch, step);
    expect(value.dataSync()[0]).toBeCloseTo(refCosine(sv, tv, S), 5);
    // By hand: orthogonal vectors -> 1, parallel -> 0; mean 0.5.
    const byHand = loss.compute(output('a', tf.tensor4d([1, 0, 2, 2], [1, 1, 2, 2])), output('b', tf.tensor4d([0, 3, 1, 1], [1, 1, 2, 2])), batch, step);
    expect(byHand.dataSync()[0]).toBeCloseTo(0.5, 6);
  });

  it("AttentionMSE weights squared differences by H W softmax(mean |t| / tau) of the teacher's map", () => {
    const loss = attentionMSE.create(parse(attentionMSE, 'student: a\nteacher: b\n'), context) as AttentionMSELoss;
    const value = loss.compute(output('a', tf.tensor4d(sv, [...S])), output('b', tf.tensor4d(tv, [...S])), batch, step);
    expect(loss.trainableVariables()).toEqual([]);
    const z = [0, 1, 2, 3].map((i) => [0, 1, 2].reduce((m, c) => m + Math.abs(at(tv, 0, Math.floor(i / 2), i % 2, c)), 0) / 3 / 0.5);
    const e = z.map((v) => Math.exp(v));
    const a = e.map((v) => (4 * v) / e.reduce((p, q) => p + q, 0));
    let total = 0;
    for (let i = 0; i < 4; i++) for (let c = 0; c < 3; c++) total += (a[i] ?? 0) * (at(sv, 0, Math.floor(i / 2), i % 2, c) - at(tv, 0, Math.floor(i / 2), i % 2, c)) ** 2;
    expect(value.dataSync()[0]).toBeCloseTo(total / 12, 5);
  });

  it('AttentionMSE learned: a softmax of a trained 1x1 conv of |t - s|, mean 1, so it cannot collapse to zero', () => {
    const loss = attentionMSE.create(parse(attentionMSE, 'student: a\nteacher: b\nattention: learned\n'), context) as AttentionMSELoss;
    const s = tf.tensor4d(sv, [...S]);
    const t = tf.tensor4d(tv, [...S]);
    const value = loss.compute(output('a', s), output('b', t), batch, step);
    const [kernel, bias] = loss.trainableVariables();
    expect(kernel?.shape).toEqual([1, 1, 3, 1]);
    expect(bias?.shape).toEqual([1]);
    const k = Array.from(kernel?.dataSync() ?? []);
    const z = [0, 1, 2, 3].map((i) => [0, 1, 2].reduce((m, c) => m + Math.abs(at(tv, 0, Math.floor(i / 2), i % 2, c) - at(sv, 0, Math.floor(i / 2), i % 2, c)) * (k[c] ?? 0), 0));
    const e = z.map((v) => Math.exp(v));
    const a = e.map((v) => (4 * v) / e.reduce((p, q) => p + q, 0));
    let total = 0;
    for (let i = 0; i < 4; i++) for (let c = 0; c < 3; c++) total += (a[i] ?? 0) * (at(sv, 0, Math.floor(i / 2), i % 2, c) - at(tv, 0, Math.floor(i / 2), i % 2, c)) ** 2;
    expect(value.dataSync()[0]).toBeCloseTo(total / 12, 5);
    const attention = loss.attention(s, t);
    expect(tf.mean(attention).dataSync()[0]).toBeCloseTo(1, 5);
    const { grads } = tf.variableGrads(() => loss.compute(output('a', s), output('b', t), batch, step), [...loss.trainableVariables()]);
    expect(Object.keys(grads)).toHaveLength(2);
    Object.values(grads).forEach((g) => g.dispose());
  });

  it('creates a 1x1 connector lazily when channels differ, and errors without one', () => {
    const s = tf.tensor4d(values([1, 2, 2, 2], 3), [1, 2, 2, 2]);
    const t = tf.tensor4d(tv, [...S]);
    const loss = featureL2.create(parse(featureL2, 'student: neck.0\nteacher: neck.1\n'), context) as DistillLoss;
    expect(loss.trainableVariables?.()).toEqual([]);
    loss.compute(output('neck.0', s), output('neck.1', t), batch, step).dispose();
    const [connector] = loss.trainableVariables?.() ?? [];
    expect(connector?.shape).toEqual([1, 1, 2, 3]);
    const before = tf.memory().numTensors;
    loss.compute(output('neck.0', s), output('neck.1', t), batch, step).dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(loss.trainableVariables?.()).toHaveLength(1);
    const strict = featureL2.create(parse(featureL2, 'student: neck.0\nteacher: neck.1\nconnector: none\n'), context) as DistillLoss;
    expect(() => strict.compute(output('neck.0', s), output('neck.1', t), batch, step)).toThrow(/'neck\.0' has 2 channels but teacher tap 'neck\.1' has 3/);
  });

  it('connectorWarmup: only the connector learns for the first steps, then the student as without it', () => {
    const s = tf.variable(tf.tensor4d(values([1, 2, 2, 2], 5), [1, 2, 2, 2]));
    const t = tf.tensor4d(tv, [...S]);
    const warm = featureL2.create(parse(featureL2, 'student: a\nteacher: b\nconnectorWarmup: 2\n'), context) as DistillLoss;
    const plain = featureL2.create(parse(featureL2, 'student: a\nteacher: b\n'), context) as DistillLoss;
    const gradsAt = (loss: DistillLoss, info: StepInfo) => {
      loss.compute(output('a', s), output('b', t), batch, info).dispose();
      const [connector] = loss.trainableVariables?.() ?? [];
      const { value, grads } = tf.variableGrads(() => loss.compute(output('a', s), output('b', t), batch, info), [s, connector as tf.Variable]);
      const student = Array.from((grads[s.name] as tf.Tensor).dataSync());
      const own = Array.from((grads[(connector as tf.Variable).name] as tf.Tensor).dataSync());
      const result = { value: value.dataSync()[0] as number, student, own };
      value.dispose();
      Object.values(grads).forEach((g) => g.dispose());
      return result;
    };
    // Same connector in both: copy the plain loss's random kernel into the warm one.
    gradsAt(plain, step);
    gradsAt(warm, step);
    (warm.trainableVariables?.()[0] as tf.Variable).assign(plain.trainableVariables?.()[0] as tf.Variable);
    const early = gradsAt(warm, { epoch: 0, epochs: 1, step: 1 });
    const reference = gradsAt(plain, { epoch: 0, epochs: 1, step: 1 });
    expect(early.value).toBeCloseTo(reference.value, 6);
    expect(early.student.every((g) => g === 0)).toBe(true);
    expect(reference.student.some((g) => Math.abs(g) > 1e-3)).toBe(true);
    early.own.forEach((g, i) => expect(g).toBeCloseTo(reference.own[i] as number, 6));
    const later = gradsAt(warm, { epoch: 0, epochs: 1, step: 2 });
    later.student.forEach((g, i) => expect(g).toBeCloseTo(reference.student[i] as number, 6));
    // Calibration measures the student's gradient, so it is never detached.
    const calibrating = gradsAt(warm, { epoch: 0, epochs: 1, step: 0, calibrating: true });
    calibrating.student.forEach((g, i) => expect(g).toBeCloseTo(reference.student[i] as number, 6));
  });

  it('keeps a connector created inside an outer tidy, and trains it', () => {
    const s = tf.tensor4d(values([1, 2, 2, 2], 4), [1, 2, 2, 2]);
    const t = tf.tensor4d(tv, [...S]);
    const loss = channelWiseKL.create(parse(channelWiseKL, 'student: a\nteacher: b\n'), context) as DistillLoss;
    tf.tidy(() => {
      loss.compute(output('a', s), output('b', t), batch, step);
    });
    const [connector] = loss.trainableVariables?.() ?? [];
    expect(connector?.isDisposed).toBe(false);
    expect(connector?.shape).toEqual([1, 1, 2, 3]);
    const { value, grads } = tf.variableGrads(() => loss.compute(output('a', s), output('b', t), batch, step), [...(loss.trainableVariables?.() ?? [])]);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    expect(Array.from(Object.values(grads)[0]?.dataSync() ?? []).some((g) => g !== 0)).toBe(true);
  });

  it('sends no gradient to the teacher map, only to the student', () => {
    for (const descriptor of [featureL2, channelWiseKL, pkd, attentionMSE, featureCosine]) {
      const loss = (descriptor.create as (c: unknown, x: typeof context) => DistillLoss)(parse(descriptor as typeof featureL2, 'student: a\nteacher: b\n'), context);
      const t = tf.tensor4d(tv, [...S]);
      const [gs, gt] = tf.grads((s: tf.Tensor, tt: tf.Tensor) => loss.compute(output('a', s as Tensor4D), output('b', tt as Tensor4D), batch, step))([tf.tensor4d(sv, [...S]), t]);
      expect(Array.from(gt?.dataSync() ?? [1]).every((v) => v === 0)).toBe(true);
      expect(Array.from(gs?.dataSync() ?? []).some((v) => v !== 0)).toBe(true);
    }
  });

  it('does not leak tensors for any loss', () => {
    for (const descriptor of [featureL2, channelWiseKL, pkd, attentionMSE, featureCosine]) {
      const loss = (descriptor.create as (c: unknown, x: typeof context) => DistillLoss)(parse(descriptor as typeof featureL2, 'student: a\nteacher: b\n'), context);
      const s = tf.tensor4d(sv, [...S]);
      const t = tf.tensor4d(tv, [...S]);
      loss.compute(output('a', s), output('b', t), batch, step).dispose();
      const before = tf.memory().numTensors;
      loss.compute(output('a', s), output('b', t), batch, step).dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('rejects unknown keys and bad values with file:line:col', () => {
    expect(() => parse(featureL2, 'student: a\nteacher: b\nwieght: 2\n')).toThrow(ConfigError);
    expect(() => parse(featureL2, 'student: a\nteacher: b\nwieght: 2\n')).toThrow(/l\.yaml:3:1/);
    expect(() => parse(channelWiseKL, 'student: a\nteacher: b\ntau: -1\n')).toThrow(/l\.yaml:3/);
    expect(() => parse(featureL2, 'student: a\nteacher: b\nconnector: maybe\n')).toThrow(ConfigError);
    expect(parse(featureCosine, 'student: a\nteacher: b\n')).toEqual({ student: 'a', teacher: 'b', weight: 1, decay: 'none', until: 1, gamma: 1, connector: 'auto', from: 0, warmup: 0, connectorWarmup: 0 });
  });

  it('names a missing tap', () => {
    const loss = featureL2.create(parse(featureL2, 'student: a\nteacher: b\n'), context) as DistillLoss;
    expect(() => loss.compute(output('x', tf.zeros([1, 1, 1, 1])), output('b', tf.zeros([1, 1, 1, 1])), batch, step)).toThrow(/student tap 'a' was not recorded/);
  });
});
