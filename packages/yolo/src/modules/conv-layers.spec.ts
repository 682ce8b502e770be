import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { IDENTITY } from './activation.js';
import { autopad, Conv2d, ConvBnAct, torchPadding } from './conv-layers.js';
import { ParameterStore } from './parameters.js';

describe('conv layers', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it("pads as PyTorch (autopad k // 2, symmetric), not tfjs 'same'", async () => {
    expect(autopad(3, undefined)).toBe(1);
    expect(autopad(6, 2)).toBe(2);
    expect(autopad(3, undefined, 2)).toBe(2);
    expect(torchPadding(0)).toBe('valid');
    expect(torchPadding(1)).toEqual([[0, 0], [1, 1], [1, 1], [0, 0]]);
    const params = new ParameterStore('conv');
    const conv = new Conv2d(params, 'm', 1, 1, { kernel: 3, stride: 2 });
    conv.weight.assign(tf.ones([3, 3, 1, 1]));
    conv.bias.assign(tf.zeros([1]));
    // 4x4 input 0..15, 3x3 ones, stride 2, pad 1 each side: windows rows/cols {-1,0,1}, {1,2,3}.
    const y = await conv.forward(tf.tensor4d(Array.from({ length: 16 }, (_, i) => i), [1, 4, 4, 1])).data();
    expect(Array.from(y)).toEqual([0 + 1 + 4 + 5, 1 + 2 + 3 + 5 + 6 + 7, 4 + 5 + 8 + 9 + 12 + 13, 5 + 6 + 7 + 9 + 10 + 11 + 13 + 14 + 15]);
    params.dispose();
  });

  it('names parameters by the PyTorch state-dict keys, kernels HWIO with their OIHW shape recorded', () => {
    const params = new ParameterStore('conv');
    new ConvBnAct(params, 'model.0', 3, 16, { kernel: 6, stride: 2, padding: 2, activation: IDENTITY });
    new Conv2d(params, 'model.24.m.0', 64, 255, { kernel: 1 });
    expect(params.list().map((p) => [p.name, p.variable.shape, p.torchShape, p.layout])).toEqual([
      ['model.0.conv.weight', [6, 6, 3, 16], [16, 3, 6, 6], 'conv'],
      ['model.0.bn.weight', [16], [16], 'plain'],
      ['model.0.bn.bias', [16], [16], 'plain'],
      ['model.0.bn.running_mean', [16], [16], 'plain'],
      ['model.0.bn.running_var', [16], [16], 'plain'],
      ['model.24.m.0.weight', [1, 1, 64, 255], [255, 64, 1, 1], 'conv'],
      ['model.24.m.0.bias', [255], [255], 'plain'],
    ]);
    params.dispose();
  });

  it("initialises like PyTorch's Conv2d: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), seeded", async () => {
    const a = new ParameterStore('init', 3);
    const b = new ParameterStore('init', 3);
    const c = new ParameterStore('init', 4);
    const [wa, wb, wc] = [a, b, c].map((store) => store.convKernel('w', [3, 3], 8, 4));
    const values = await wa!.data();
    const bound = 1 / Math.sqrt(8 * 9);
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(bound * 0.8);
    expect(Array.from(await wb!.data())).toEqual(Array.from(values));
    expect(Array.from(await wc!.data())).not.toEqual(Array.from(values));
    expect(wa!.name).not.toBe(wb!.name);
    [a, b, c].forEach((store) => store.dispose());
  });
});
