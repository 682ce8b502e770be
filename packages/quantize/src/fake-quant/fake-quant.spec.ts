import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { ConfigLocation, InlineConfigSource, RunFolder } from '@yolo-distill/core';
import { useTempDir } from '@yolo-distill/core/testing';
import { parseModelYaml, YOLOV5_MODULES, YoloModel } from '@yolo-distill/yolo';
import { FakeQuant, fakeQuant } from './fake-quant.js';
import { LEARNED_RANGES_FILE, readLearnedRanges } from './learned-ranges-file.js';

const YAML = `nc: 2
depth_multiple: 1.0
width_multiple: 1.0
anchors:
  - [10, 13, 16, 30, 33, 23]
backbone:
  - [-1, 1, Conv, [8, 3, 2]]
  - [-1, 1, C3, [8]]
head:
  - [[1], 1, Detect, [nc, anchors]]
`;
const at = new ConfigLocation(new InlineConfigSource('p.yaml'), ['stages', 0, 'transform']);
const step = (epoch: number) => ({ epoch, epochs: 4, step: 0 });

let model: YoloModel;
beforeAll(async () => {
  await selectBackend('cpu');
  model = new YoloModel(parseModelYaml(YAML, 'tiny.yaml', { modules: YOLOV5_MODULES }), { name: 'tiny', seed: 1 });
});
afterAll(() => model.dispose());

const images = (k: number) => tf.tidy(() => tf.mul(tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', k), 0.5 + 0.25 * k) as tf.Tensor4D);

describe('quantize.FakeQuant', () => {
  it('parses its defaults and refuses bad values where they are', () => {
    expect(fakeQuant.parse({}, at)).toEqual({ freezeAfter: 2, averaging: 0.01, symmetric: false });
    expect(() => fakeQuant.parse({ freezeAfter: 0 }, at)).toThrow(/stages\[0\]\.transform\.freezeAfter/);
  });

  it("observes every conv's input under the kernel names the model's graph (and so the ONNX export) uses", () => {
    const transform = new FakeQuant({ freezeAfter: 2, averaging: 0.5, symmetric: false });
    const [a, b] = [images(1), images(2)];
    tf.dispose(model.forward(a, { training: true, conv: transform.convHook(step(0), true) }).head as tf.Tensor[]);
    const convWeights = (model.graph?.().ops ?? []).flatMap((op) => (op.op === 'conv' ? [op.weight] : []));
    expect(Object.keys(transform.ranges()).sort()).toEqual([...convWeights].sort());
    // The first conv reads the images: its range is theirs, then moves halfway to the next batch's.
    const range = (x: tf.Tensor) => tf.tidy(() => ({ min: tf.min(x).dataSync()[0] as number, max: tf.max(x).dataSync()[0] as number }));
    const [ra, rb] = [range(a), range(b)];
    expect(transform.ranges()['model.0.conv.weight']).toEqual(ra);
    tf.dispose(model.forward(b, { training: true, conv: transform.convHook(step(1), true) }).head as tf.Tensor[]);
    const moved = transform.ranges()['model.0.conv.weight'];
    expect(moved?.min).toBeCloseTo(ra.min + 0.5 * (rb.min - ra.min), 6);
    expect(moved?.max).toBeCloseTo(ra.max + 0.5 * (rb.max - ra.max), 6);
    // Frozen from epoch 2 on, and never moved by evaluation passes.
    tf.dispose(model.forward(a, { training: true, conv: transform.convHook(step(2), true) }).head as tf.Tensor[]);
    tf.dispose(model.forward(a, { training: false, conv: transform.convHook(undefined, false) }).head as tf.Tensor[]);
    expect(transform.ranges()['model.0.conv.weight']).toEqual(moved);
    tf.dispose([a, b]);
  });

  it('changes the forward by the 8-bit noise only, lets gradients reach every trainable weight, and leaks no tensor', () => {
    const transform = new FakeQuant({ freezeAfter: 2, averaging: 0.01, symmetric: false });
    const x = images(3);
    tf.dispose(model.forward(x, { training: true, conv: transform.convHook(step(0), true) }).head as tf.Tensor[]);
    const before = tf.memory().numTensors;
    const [plain, quantized] = tf.tidy(() => [
      model.forward(x, { training: false }).head[0] as tf.Tensor,
      model.forward(x, { training: false, conv: transform.convHook(undefined, false) }).head[0] as tf.Tensor,
    ]);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(plain, quantized))).dataSync()[0] as number);
    const scale = tf.tidy(() => tf.max(tf.abs(plain)).dataSync()[0] as number);
    expect(diff).toBeGreaterThan(0);
    expect(diff / scale).toBeLessThan(0.1);
    tf.dispose([plain, quantized]);
    const { value, grads } = tf.variableGrads(() => tf.tidy(() => tf.addN(model.forward(x, { training: true, conv: transform.convHook(step(0), true) }).head.map((h) => tf.sum(tf.square(h)))) as tf.Scalar), model.trainableVariables() as tf.Variable[]);
    const kernel = grads[model.trainableVariables().find((v) => v.name.includes('model.0.conv.weight'))?.name ?? ''] ?? Object.values(grads)[0];
    expect(Object.keys(grads)).toHaveLength(model.trainableVariables().length);
    expect(tf.tidy(() => tf.sum(tf.abs(kernel as tf.Tensor)).dataSync()[0] as number)).toBeGreaterThan(0);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('carries its ranges through a checkpoint and leaves them for quantize.Int8 at the stage end', async () => {
    const transform = new FakeQuant({ freezeAfter: 1, averaging: 0.01, symmetric: false });
    const x = images(4);
    tf.dispose(model.forward(x, { training: true, conv: transform.convHook(step(0), true) }).head as tf.Tensor[]);
    tf.dispose(model.forward(x, { training: true, conv: transform.convHook(step(1), true) }).head as tf.Tensor[]);
    x.dispose();
    const resumed = new FakeQuant({ freezeAfter: 1, averaging: 0.01, symmetric: false });
    resumed.loadState(transform.saveState());
    expect(resumed.ranges()).toEqual(Object.fromEntries(Object.entries(transform.ranges()).map(([k, r]) => [k, { min: Math.fround(r.min), max: Math.fround(r.max) }])));
    const dir = useTempDirOnce();
    await transform.finish(new RunFolder(dir), { index: 0, name: 'trainer.Distill' });
    const file = await readLearnedRanges(new RunFolder(dir).path(LEARNED_RANGES_FILE));
    expect(file).toMatchObject({ stage: '0-trainer.Distill', frozen: true });
    expect(file.ranges).toEqual(transform.ranges());
  });
});

const tempDir = useTempDir('fake-quant');
function useTempDirOnce(): string {
  return tempDir();
}
