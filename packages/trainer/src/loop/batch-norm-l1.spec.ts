import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import type { ImageBatch, StageContext, Variable } from '@yolo-distill/core';
import { parseModelYaml, YOLOV5_MODULES, YoloModel, yoloV5LossFunction } from '@yolo-distill/yolo';
import { BatchNormL1Task, batchNormGammas } from './batch-norm-l1.js';
import { SupervisedTask } from './supervised-task.js';
import type { TrainingTask } from './training-task.js';

// Three Conv-BN-SiLU layers and a C3 (five more BatchNorms) before a Detect of plain convs: 8 BatchNorms.
const YAML = `nc: 2
depth_multiple: 0.33
width_multiple: 0.25
anchors:
  - [10, 13, 16, 30, 33, 23]
backbone:
  - [-1, 1, Conv, [32, 3, 2]]
  - [-1, 1, Conv, [32, 3, 2]]
  - [-1, 1, C3, [32]]
head:
  - [-1, 1, Conv, [32, 1, 1]]
  - [[3], 1, Detect, [nc, anchors]]
`;

const model = () => new YoloModel(parseModelYaml(YAML, 'bn-l1.yaml', { modules: YOLOV5_MODULES }), { name: 'bn-l1', seed: 3, loss: yoloV5LossFunction() });

function batch(): ImageBatch {
  const images = Float32Array.from({ length: 2 * 32 * 32 * 3 }, (_, i) => ((i * 7919) % 255) / 255);
  return { images, shape: [2, 32, 32, 3], targets: Float32Array.from([0, 1, 0.5, 0.5, 0.4, 0.3, 1, 0, 0.3, 0.6, 0.2, 0.2]), targetCount: 2, sources: ['a', 'b'] } as unknown as ImageBatch;
}

async function gradients(task: TrainingTask, student: YoloModel, variables: readonly Variable[]) {
  await task.initialize({ models: { student } } as unknown as StageContext, batch(), false);
  const b = batch();
  const images = tf.tensor4d(b.images, [...b.shape] as [number, number, number, number]);
  const prepared = await task.prepare(images, b, { epoch: 0, epochs: 1, step: 0 });
  let components: Record<string, number> = {};
  const { value, grads } = tf.variableGrads(() => {
    const terms = prepared.compute();
    components = Object.fromEntries(Object.entries(terms.components).map(([name, t]) => [name, t.dataSync()[0] as number]));
    return terms.total;
  }, variables as tf.Variable[]);
  const out = { total: value.dataSync()[0] as number, components, grads: Object.fromEntries(variables.map((v) => [v.name, Float32Array.from(grads[v.name]!.dataSync())])) };
  tf.dispose([images, value, ...Object.values(grads)]);
  prepared.release();
  return out;
}

describe('BatchNormL1Task (network slimming)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('adds weight * sum |gamma| as the component bnL1 and weight * sign(gamma) to each gamma gradient, nothing to the rest', async () => {
    const student = model();
    try {
      const gammas = batchNormGammas(student);
      expect(gammas).toHaveLength(student.graph().ops.filter((op) => op.op === 'conv' && op.batchNorm).length);
      expect(gammas.length).toBeGreaterThanOrEqual(7);
      // Mixed signs, so that sign(gamma) is not all ones.
      gammas.forEach((g, k) => g.assign(tf.tensor1d(Array.from({ length: g.shape[0] as number }, (_, i) => (i % 3 === 0 ? -1 : 1) * (0.2 + 0.05 * ((i + k) % 7))))));
      const variables = student.trainableVariables();
      const plain = await gradients(new SupervisedTask(), student, variables);
      const weight = 1e-2;
      const slim = await gradients(new BatchNormL1Task(new SupervisedTask(), weight), student, variables);

      const byHand = gammas.reduce((sum, g) => sum + Array.from(g.dataSync()).reduce((s, v) => s + Math.abs(v), 0), 0);
      expect(slim.components['bnL1']).toBeCloseTo(weight * byHand, 5);
      expect(slim.components['native']).toBeCloseTo(plain.components['native'] as number, 5);
      expect(slim.total).toBeCloseTo(plain.total + weight * byHand, 4);

      const gammaNames = new Set(gammas.map((g) => g.name));
      for (const v of variables) {
        const a = plain.grads[v.name] as Float32Array;
        const b = slim.grads[v.name] as Float32Array;
        const signs = gammaNames.has(v.name) ? Array.from(v.dataSync()).map(Math.sign) : undefined;
        for (let i = 0; i < a.length; i++) expect(b[i]! - a[i]!).toBeCloseTo(signs ? weight * signs[i]! : 0, 6);
      }
    } finally {
      student.dispose();
    }
  });

  it('passes the inner task through: its lookahead, calibration and diagnose exactly when it has them', () => {
    const bare = new BatchNormL1Task(new SupervisedTask(), 1e-4);
    expect(bare.lookahead).toBeUndefined();
    expect(bare.calibrationBatches).toBeUndefined();
    expect(bare.diagnose).toBeUndefined();
    const lookahead = () => {};
    const inner = Object.assign(new SupervisedTask(), { lookahead, calibrationBatches: 3, diagnose: async () => ({ terms: [] }) }) as unknown as TrainingTask;
    const wrapped = new BatchNormL1Task(inner, 1e-4);
    expect(wrapped.lookahead).toBe(lookahead);
    expect(wrapped.calibrationBatches).toBe(3);
    expect(wrapped.diagnose).toBeDefined();
  });

  it('names a student without a graph or without BatchNorms', () => {
    const noGraph = { name: 'opaque', getWeights: () => ({}), trainableVariables: () => [] } as unknown as YoloModel;
    expect(() => batchNormGammas(noGraph)).toThrow(/bnL1: the student opaque does not describe its layers/);
    const noBn = { name: 'plain', graph: () => ({ ops: [{ op: 'conv', weight: 'w' }] }), getWeights: () => ({}), trainableVariables: () => [] } as unknown as YoloModel;
    expect(() => batchNormGammas(noBn)).toThrow(/bnL1: the student plain has no trainable BatchNorm gamma/);
  });
});
