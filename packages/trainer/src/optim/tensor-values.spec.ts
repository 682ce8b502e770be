import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { readValues, writeValues } from './tensor-values.js';

describe.each(['cpu', 'wasm'] as const)('tensor values on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  it('reads what dataSync reads, int32 converted, and refuses a disposed tensor', () => {
    const t = tf.tensor2d([1.5, -2, 3.25, 4], [2, 2]);
    expect(Array.from(readValues(t))).toEqual([1.5, -2, 3.25, 4]);
    const computed = tf.mul(t, 2);
    expect(Array.from(readValues(computed))).toEqual(Array.from(computed.dataSync()));
    const ints = tf.tensor1d([7, -1], 'int32');
    expect(readValues(ints)).toEqual(Float32Array.of(7, -1));
    tf.dispose([t, computed, ints]);
    expect(() => readValues(t)).toThrow(/is disposed/);
  });

  it('writes a copy: reusing the source buffer leaves the variable alone', () => {
    const v = tf.variable(tf.zeros([2, 2]));
    const source = Float32Array.of(1, 2, 3, 4, 5);
    writeValues(v, source.subarray(1));
    source.fill(9);
    expect(Array.from(v.dataSync())).toEqual([2, 3, 4, 5]);
    expect(() => writeValues(v, source)).toThrow(/5 values for a variable of 4/);
    v.dispose();
  });

  it('a conv sees the written kernel (no backend cache of the old filter survives)', () => {
    const x = tf.randomNormal([1, 5, 5, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const kernel = tf.variable(tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2));
    const bias = tf.variable(tf.randomNormal([4], 0, 1, 'float32', 3));
    const run = () => tf.tidy(() => tf.add(tf.conv2d(x, kernel as tf.Tensor4D, 1, 'same'), bias).dataSync());
    run();
    const newKernel = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 4);
    writeValues(kernel, newKernel.dataSync<'float32'>());
    writeValues(bias, Float32Array.of(0.5, -0.5, 1, 0));
    const expected = tf.tidy(() => tf.add(tf.conv2d(x, newKernel as tf.Tensor4D, 1, 'same'), tf.tensor1d([0.5, -0.5, 1, 0])).dataSync());
    expect(Array.from(run())).toEqual(Array.from(expected));
    tf.dispose([x, kernel, bias, newKernel]);
  });
});
