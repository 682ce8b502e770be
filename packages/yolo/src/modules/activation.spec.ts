import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { applyActivation, describeActivation, parseActivation } from './activation.js';

describe('activations', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('reads the activation texts Ultralytics YAMLs use', () => {
    expect(parseActivation('nn.SiLU()')).toEqual({ kind: 'silu' });
    expect(parseActivation('nn.LeakyReLU(0.1)')).toEqual({ kind: 'leaky-relu', alpha: 0.1 });
    expect(parseActivation('torch.nn.LeakyReLU(negative_slope=0.2, inplace=True)')).toEqual({ kind: 'leaky-relu', alpha: 0.2 });
    expect(parseActivation('nn.ReLU()')).toEqual({ kind: 'relu' });
    expect(parseActivation('nn.Identity()')).toEqual({ kind: 'identity' });
    expect(parseActivation('nn.GELU()')).toBeUndefined();
    expect(parseActivation('nn.LeakyReLU(x)')).toBeUndefined();
    expect(describeActivation({ kind: 'leaky-relu', alpha: 0.1 })).toBe('LeakyReLU(0.1)');
  });

  it('computes SiLU = x * sigmoid(x) and LeakyReLU', async () => {
    const x = tf.tensor4d([-2, 0, 1, 3], [1, 1, 2, 2]);
    const silu = await applyActivation(x, { kind: 'silu' }).data();
    [-2, 0, 1, 3].forEach((v, i) => expect(silu[i]).toBeCloseTo(v / (1 + Math.exp(-v)), 6));
    expect(Array.from(await applyActivation(x, { kind: 'leaky-relu', alpha: 0.1 }).data())).toEqual([-0.2 as number, 0, 1, 3].map(Math.fround));
    expect(applyActivation(x, { kind: 'identity' })).toBe(x);
  });
});
