import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { SILU } from './activation.js';
import { buildModule } from './build-module.test.js';
import { ParameterStore } from './parameters.js';
import { RepConvBlock, repConvModule } from './rep-conv.js';

/** Random BN statistics and affine values, so that folding mistakes show. */
function randomiseBatchNorms(params: ParameterStore, seed: number): void {
  let s = seed;
  for (const p of params.list()) {
    if (p.layout === 'conv') continue;
    const n = p.variable.size;
    const value = p.name.endsWith('running_var') ? tf.randomUniform([n], 0.5, 2, 'float32', s++) : tf.randomUniform([n], -0.5, 0.5, 'float32', s++);
    p.variable.assign(p.name.endsWith('.weight') ? tf.add(value, 1) : value);
    value.dispose();
  }
}

const maxDiff = async (a: tf.Tensor, b: tf.Tensor): Promise<number> => (await tf.max(tf.abs(tf.sub(a, b))).data())[0] as number;

describe('RepConv (yolov7)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('has the three branches under their state-dict names; the identity BN only when c1 == c2 and s == 1', () => {
    const same = buildModule(repConvModule, [8, 3, 1], [8]);
    expect(same.shapes).toEqual({
      'model.4.rbr_identity.weight': [8],
      'model.4.rbr_identity.bias': [8],
      'model.4.rbr_identity.running_mean': [8],
      'model.4.rbr_identity.running_var': [8],
      'model.4.rbr_dense.0.weight': [8, 8, 3, 3],
      'model.4.rbr_dense.1.weight': [8],
      'model.4.rbr_dense.1.bias': [8],
      'model.4.rbr_dense.1.running_mean': [8],
      'model.4.rbr_dense.1.running_var': [8],
      'model.4.rbr_1x1.0.weight': [8, 8, 1, 1],
      'model.4.rbr_1x1.1.weight': [8],
      'model.4.rbr_1x1.1.bias': [8],
      'model.4.rbr_1x1.1.running_mean': [8],
      'model.4.rbr_1x1.1.running_var': [8],
    });
    const wider = buildModule(repConvModule, [16, 3, 1], [8]);
    expect(Object.keys(wider.shapes).some((name) => name.includes('rbr_identity'))).toBe(false);
    same.params.dispose();
    wider.params.dispose();
  });

  it.each([
    ['with the identity branch', 6, 6, 1],
    ['without it (c1 != c2)', 4, 6, 1],
    ['at stride 2', 6, 6, 2],
  ])('re-parameterises into one 3x3 conv with bias that gives the eval output (%s)', async (_name, c1, c2, stride) => {
    const params = new ParameterStore('rep', 3);
    const block = new RepConvBlock(params, 'model.0', c1, c2, { kernel: 3, stride, padding: undefined, activation: SILU });
    randomiseBatchNorms(params, 11);
    const x = tf.randomUniform([2, 7, 7, c1], -1, 1, 'float32', 5) as tf.Tensor4D;
    const branches = block.forward(x, false);
    const fused = block.fuse();
    const deployed = block.forwardFused(x, fused);
    expect(fused.kernel.shape).toEqual([3, 3, c1, c2]);
    expect(deployed.shape).toEqual(branches.shape);
    expect(await maxDiff(deployed, branches)).toBeLessThan(1e-5);
    tf.dispose([x, branches, fused.kernel, fused.bias, deployed]);
    params.dispose();
  });

  it('trains on batch statistics: the training output differs from the eval output of the same weights', async () => {
    const params = new ParameterStore('rep', 4);
    const block = new RepConvBlock(params, 'model.0', 4, 4, { kernel: 3, stride: 1, padding: undefined, activation: SILU });
    randomiseBatchNorms(params, 3);
    const x = tf.randomUniform([2, 5, 5, 4], 0, 3, 'float32', 2) as tf.Tensor4D;
    const evalOut = block.forward(x, false);
    const trainOut = block.forward(x, true);
    expect(await maxDiff(evalOut, trainOut)).toBeGreaterThan(1e-2);
    tf.dispose([x, evalOut, trainOut]);
    params.dispose();
  });

  it('refuses deploy=True and an even kernel, naming the argument', () => {
    expect(() => buildModule(repConvModule, [8, 3, 1, null, 1, true, true], [8])).toThrow('RepConv: argument 6 (deploy) must be False');
    expect(() => buildModule(repConvModule, [8, 2, 1], [8])).toThrow('RepConv: argument 1 (k) must be odd');
  });
});
