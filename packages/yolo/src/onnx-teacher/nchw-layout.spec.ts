import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { joinBatches, nchwToNhwc, nhwcToNchw } from './nchw-layout.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('NCHW <-> NHWC', () => {
  // one 2x3 image, 2 channels: channel 0 = 0..5, channel 1 = 10..15
  const nchw = Float32Array.from([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]);
  const nhwc = [0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15];

  it('turns NHWC images into NCHW values and an NCHW map back into NHWC, leaving no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const images = tf.tensor4d(nhwc, [1, 2, 3, 2]);
    expect([...nhwcToNchw(images)]).toEqual([...nchw]);
    const map = nchwToNhwc({ data: nchw, dims: [1, 2, 2, 3] }, 'x');
    expect(map.shape).toEqual([1, 2, 3, 2]);
    expect([...map.dataSync()]).toEqual(nhwc);
    tf.dispose([images, map]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a tensor that is not a 4-D map, naming it', () => {
    expect(() => nchwToNhwc({ data: new Float32Array(6), dims: [1, 6] }, "file.onnx: tensor 'y'")).toThrow("file.onnx: tensor 'y' has shape [1, 6], not an NCHW map [batch, channels, height, width]");
  });

  it('joins chunks along the batch', () => {
    const joined = joinBatches([
      { data: Float32Array.from([1, 2]), dims: [1, 2, 1, 1] },
      { data: Float32Array.from([3, 4]), dims: [1, 2, 1, 1] },
    ]);
    expect(joined.dims).toEqual([2, 2, 1, 1]);
    expect([...joined.data]).toEqual([1, 2, 3, 4]);
  });
});
