import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import type { ImageBatch, ModelOutput } from '@yolo-distill/core';
import { ULTRALYTICS_MODULES, YOLOV5_MODULES } from '../modules/module-lists.js';
import { parseModelYaml } from '../yaml/model-yaml.js';
import { TINY_V5_YAML, TINY_V8_YAML } from './tiny-models.test.js';
import { YoloModel, type YoloModelOptions } from './yolo-model.js';

const tinyV5 = (options: YoloModelOptions = {}, yaml = TINY_V5_YAML) => new YoloModel(parseModelYaml(yaml, 'tiny-v5.yaml', { modules: YOLOV5_MODULES }), { name: 'tiny-v5', ...options });
const tinyV8 = (options: YoloModelOptions = {}) => new YoloModel(parseModelYaml(TINY_V8_YAML, 'tiny-v8.yaml', { modules: ULTRALYTICS_MODULES, scale: 'n' }), { name: 'tiny-v8', ...options });
const images = (batch = 2, size = 32, seed = 1) => tf.randomUniform([batch, size, size, 3], 0, 1, 'float32', seed) as tf.Tensor4D;

async function values(tensors: readonly tf.Tensor[]): Promise<number[]> {
  const out: number[] = [];
  for (const t of tensors) out.push(...(await t.data()));
  return out;
}

const disposeOutput = (output: ModelOutput) => tf.dispose([...output.head, ...Object.values(output.features)]);

describe('YoloModel', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('describes itself: head kind, classes, strides, taps', () => {
    const v5 = tinyV5();
    expect(v5).toMatchObject({ name: 'tiny-v5', headKind: 'anchor-based', numClasses: 2, strides: [8, 16] });
    expect(v5.taps).toEqual([
      ...[0, 1, 2, 3, 4, 5, 6].map((i) => `backbone.${i}`),
      'neck.0',
      'neck.1',
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `layer.${i}`),
    ]);
    const v8 = tinyV8();
    expect(v8).toMatchObject({ headKind: 'anchor-free', numClasses: 3, strides: [8, 16] });
    expect(v8.head).toEqual({ kind: 'anchor-free', numClasses: 3, strides: [8, 16], regMax: 16 });
    v5.dispose();
    v8.dispose();
  });

  it('returns raw NHWC head maps and the requested taps; neck.k are the inputs of the head', async () => {
    const model = tinyV5();
    const x = images();
    const output = model.forward(x, { training: false, taps: ['neck.0', 'neck.1', 'backbone.2', 'layer.9'] });
    expect(output.head.map((t) => t.shape)).toEqual([
      [2, 4, 4, 21],
      [2, 2, 2, 21],
    ]);
    expect(Object.fromEntries(Object.entries(output.features).map(([k, t]) => [k, t.shape]))).toEqual({
      'neck.0': [2, 4, 4, 64],
      'neck.1': [2, 2, 2, 128],
      'backbone.2': [2, 8, 8, 32],
      'layer.9': [2, 4, 4, 64],
    });
    expect(await values([output.features['neck.0']!])).toEqual(await values([output.features['layer.9']!]));
    const v8 = tinyV8();
    const out8 = v8.forward(x, { training: false });
    expect(out8.head.map((t) => t.shape)).toEqual([
      [2, 4, 4, 67],
      [2, 2, 2, 67],
    ]);
    expect(out8.features).toEqual({});
    disposeOutput(output);
    disposeOutput(out8);
    tf.dispose(x);
    model.dispose();
    v8.dispose();
  });

  it('refuses unknown taps and images of the wrong layout or size', () => {
    const model = tinyV5();
    const x = images();
    expect(() => model.forward(x, { training: false, taps: ['neck.3'] })).toThrow("tiny-v5: unknown tap 'neck.3' (did you mean 'neck.0'?); taps are backbone.N, layer.N (rows 0..9) and neck.0..1");
    expect(() => model.forward(tf.zeros([1, 3, 32, 32]) as tf.Tensor4D, { training: false })).toThrow('tiny-v5: forward expects NHWC images [B, H, W, 3], got [1, 3, 32, 32]');
    expect(() => model.forward(tf.zeros([1, 40, 40, 3]) as tf.Tensor4D, { training: false })).toThrow('image size 40x40 must be a multiple of the largest stride 16');
    tf.dispose(x);
    model.dispose();
  });

  it('decodes to [B, N, 4 + nc] and to the version layouts', () => {
    const x = images(1);
    for (const [model, exported, detections] of [
      [tinyV5(), [1, 3 * 16 + 3 * 4, 7], [1, 60, 6]],
      [tinyV8(), [1, 7, 16 + 4], [1, 20, 7]],
    ] as const) {
      const output = model.forward(x, { training: false });
      const [a, b] = [model.decodeAsExported(output), model.decode(output)];
      expect(a.shape).toEqual(exported);
      expect(b.shape).toEqual(detections);
      tf.dispose([a, b]);
      disposeOutput(output);
      model.dispose();
    }
    tf.dispose(x);
  });

  it('names parameters by the Ultralytics state dict; stacked repeats get model.N.j', () => {
    const v5 = tinyV5({}, TINY_V5_YAML.replace('[-1, 1, SPPF, [512, 5]] # 6', '[-1, 3, Conv, [512, 3, 1]] # 6'));
    const names = v5.parameters().map((p) => p.name);
    expect(names.slice(0, 5)).toEqual(['model.0.conv.weight', 'model.0.bn.weight', 'model.0.bn.bias', 'model.0.bn.running_mean', 'model.0.bn.running_var']);
    expect(names).toContain('model.2.m.0.cv2.conv.weight');
    expect(names).toContain('model.4.m.1.cv1.bn.running_var');
    // 3 * 0.33 -> 1 copy, so no Sequential index; with depth 1 it would be model.6.0 ... model.6.2
    expect(names).toContain('model.6.conv.weight');
    expect(names).toContain('model.10.m.1.bias');
    const deep = tinyV5({}, TINY_V5_YAML.replace('depth_multiple: 0.33', 'depth_multiple: 1.0').replace('[-1, 1, SPPF, [512, 5]] # 6', '[-1, 3, Conv, [512, 3, 1]] # 6'));
    const deepNames = deep.parameters().map((p) => p.name);
    expect(deepNames).toEqual(expect.arrayContaining(['model.6.0.conv.weight', 'model.6.1.bn.bias', 'model.6.2.conv.weight']));
    expect(deepNames).not.toContain('model.6.conv.weight');
    const v8 = tinyV8();
    expect(v8.parameters().map((p) => p.name)).toEqual(
      expect.arrayContaining(['model.2.m.0.cv1.conv.weight', 'model.9.cv2.0.0.conv.weight', 'model.9.cv2.1.2.weight', 'model.9.cv3.0.2.bias', 'model.9.dfl.conv.weight']),
    );
    [v5, deep, v8].forEach((m) => m.dispose());
  });

  it('trains conv kernels, biases and BN affine only: not running stats, not the DFL conv', () => {
    const v8 = tinyV8();
    const trainable = new Set(v8.trainableVariables());
    for (const p of v8.parameters()) expect(trainable.has(p.variable), p.name).toBe(p.role === 'trainable');
    const roles = new Set(v8.parameters().filter((p) => !trainable.has(p.variable)).map((p) => p.name.replace(/^.*\./, '')));
    expect([...roles].sort()).toEqual(['running_mean', 'running_var', 'weight']);
    expect(v8.parameters().find((p) => p.name === 'model.9.dfl.conv.weight')?.role).toBe('fixed');
    v8.dispose();
  });

  it('holds no tensor more after forward passes inside tf.tidy (eval and training), and none at all after dispose', () => {
    const start = tf.memory().numTensors;
    const model = tinyV5();
    const x = images();
    const afterBuild = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) {
      tf.tidy(() => {
        model.forward(x, { training: i % 2 === 1, taps: ['neck.0', 'backbone.3'] });
      });
      expect(tf.memory().numTensors).toBe(afterBuild);
      // What tidy returns it keeps: the two head maps and the two taps, nothing else.
      const kept = tf.tidy(() => {
        const output = model.forward(x, { training: i % 2 === 1, taps: ['neck.0', 'backbone.3'] });
        return [...output.head, ...Object.values(output.features)];
      });
      expect(tf.memory().numTensors).toBe(afterBuild + 4);
      tf.dispose(kept);
    }
    tf.dispose(x);
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('uses batch statistics and updates the running ones in training mode only', async () => {
    const model = tinyV5();
    const x = images();
    const runningMean = model.getWeights()['model.0.bn.running_mean']!;
    const before = await values([runningMean]);
    const evalOut = tf.tidy(() => model.forward(x, { training: false }).head[0]!);
    expect(await values([runningMean])).toEqual(before);
    const trainOut = tf.tidy(() => model.forward(x, { training: true }).head[0]!);
    const after = await values([runningMean]);
    expect(after).not.toEqual(before);
    expect(await values([evalOut])).not.toEqual(await values([trainOut]));
    tf.dispose([x, evalOut, trainOut]);
    model.dispose();
  });

  it('restores identical outputs from saveState after other weights were loaded', async () => {
    const x = images(1, 32, 3);
    const a = tinyV8({ seed: 1 });
    const b = tinyV8({ seed: 2 });
    // Move the running statistics away from their init so that they are part of the round trip.
    tf.tidy(() => {
      a.forward(x, { training: true });
    });
    const run = async (model: YoloModel) => {
      const out = tf.tidy(() => model.decode(model.forward(x, { training: false })));
      const v = await values([out]);
      out.dispose();
      return v;
    };
    const expected = await run(a);
    expect(await run(b)).not.toEqual(expected);
    const state = await a.saveState();
    expect(state.meta).toMatchObject({ format: 'yolo-distill.YoloModel/1', name: 'tiny-v8', numClasses: 3, scale: 'n' });
    expect(Object.keys(state.tensors)).toEqual(a.parameters().map((p) => p.name));
    expect(state.tensors['model.0.conv.weight']).toMatchObject({ shape: [3, 3, 3, 16], dtype: 'float32' });
    expect(state.tensors['model.0.conv.weight']!.data).toBeInstanceOf(Float32Array);
    await b.loadState(state);
    expect(await run(b)).toEqual(expected);
    a.dispose();
    b.dispose();
    x.dispose();
  });

  it('refuses a checkpoint of another model without changing any weight', async () => {
    const v5 = tinyV5();
    const v8 = tinyV8();
    const before = await values([v5.getWeights()['model.0.conv.weight']!]);
    await expect(v5.loadState(await v8.saveState())).rejects.toThrow(
      'tiny-v5: loadState (the checkpoint is of tiny-v8): 84 parameter(s) missing (model.2.cv3.conv.weight; model.2.cv3.bn.weight; model.2.cv3.bn.bias; model.2.cv3.bn.running_mean; ...); ' +
        '84 unknown tensor(s) (model.4.conv.weight; model.4.bn.weight; model.4.bn.bias; model.4.bn.running_mean; ...); ' +
        '12 tensors differ (model.0.conv.weight: the model holds [6, 6, 3, 16], the checkpoint has [3, 3, 3, 16]; model.2.cv1.conv.weight: the model holds [1, 1, 32, 16], the checkpoint has [1, 1, 32, 32]; ...)',
    );
    const state = await v5.saveState();
    const { ['model.3.bn.bias']: _dropped, ...partial } = state.tensors;
    await expect(v5.loadState({ meta: state.meta, tensors: { ...partial, 'model.0.bn.bias': { shape: [8], dtype: 'float32', data: new Float32Array(8) } } })).rejects.toThrow(
      'tiny-v5: loadState: 1 parameter(s) missing (model.3.bn.bias); model.0.bn.bias: the model holds [16], the checkpoint has [8]',
    );
    expect(await values([v5.getWeights()['model.0.conv.weight']!])).toEqual(before);
    await expect(v5.loadState({ meta: { format: 'other/1' }, tensors: {} })).rejects.toThrow('the checkpoint\'s format is other/1, expected yolo-distill.YoloModel/1');
    v5.dispose();
    v8.dispose();
  });

  it('sets weights by name, checking names and shapes first', async () => {
    const model = tinyV5();
    const ones = tf.ones([16]);
    model.setWeights({ 'model.0.bn.bias': ones });
    expect(await values([model.getWeights()['model.0.bn.bias']!])).toEqual(Array(16).fill(1));
    expect(() => model.setWeights({ 'model.0.bn.bais': ones })).toThrow("tiny-v5: setWeights: unknown parameter 'model.0.bn.bais' (did you mean 'model.0.bn.bias'?)");
    expect(() => model.setWeights({ 'model.0.bn.weight': tf.ones([8]), 'model.0.bn.bias': tf.zeros([16]) })).toThrow('model.0.bn.weight: the model holds [16], the new value is [8]');
    expect(await values([model.getWeights()['model.0.bn.bias']!])).toEqual(Array(16).fill(1));
    ones.dispose();
    model.dispose();
  });

  it('runs the loss the adapter gave, with the head description', () => {
    const batch: ImageBatch = { images: new Float32Array(0), shape: [0, 32, 32, 3], targets: new Float32Array(0), targetCount: 0, sources: [] };
    const withoutLoss = tinyV5();
    expect(() => withoutLoss.loss({ head: [], features: {} }, batch)).toThrow('tiny-v5: no loss function was given to this model');
    let seen: unknown;
    const withLoss = tinyV5({
      loss: (_output, _batch, head) => {
        seen = head;
        const total = tf.scalar(1);
        return { total, terms: { box: total } };
      },
    });
    const terms = withLoss.loss({ head: [], features: {} }, batch);
    expect(seen).toEqual(withLoss.head);
    tf.dispose(terms.total);
    withoutLoss.dispose();
    withLoss.dispose();
  });
});

describe('YoloModel training on wasm', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('takes Adam steps that lower a stand-in loss, with a constant tensor count', async () => {
    const model = tinyV8({ seed: 3 });
    const x = images(2, 32, 5);
    const optimizer = tf.train.adam(1e-2);
    const losses: number[] = [];
    const counts: number[] = [];
    for (let step = 0; step < 6; step++) {
      const loss = optimizer.minimize(
        () => {
          const output = model.forward(x, { training: true, taps: ['neck.0'] });
          const head = tf.addN(output.head.map((level) => tf.mean(tf.square(level))));
          return tf.add(head, tf.mul(0.1, tf.mean(tf.square(output.features['neck.0']!)))) as tf.Scalar;
        },
        true,
        [...model.trainableVariables()],
      );
      losses.push((await loss!.data())[0] as number);
      loss!.dispose();
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(losses[5]).toBeLessThan(losses[0] as number);
    // Every trainable variable received a gradient (none is cut off by the freed intermediate maps).
    const { grads, value } = tf.variableGrads(() => tf.addN(model.forward(x, { training: true }).head.map((h) => tf.mean(h))) as tf.Scalar, [...model.trainableVariables()]);
    expect(Object.keys(grads)).toHaveLength(model.trainableVariables().length);
    tf.dispose([value, ...Object.values(grads)]);
    optimizer.dispose();
    x.dispose();
    model.dispose();
  });
});
