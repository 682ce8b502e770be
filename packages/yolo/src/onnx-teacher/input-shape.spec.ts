import { imagesPerRun } from './input-shape.js';

const input = (dims: (number | string)[] | null) => ({ name: 'images', elemType: 'float32', dims });

describe('imagesPerRun', () => {
  it('runs a static batch of n in chunks of n, a symbolic or undeclared batch all at once', () => {
    expect(imagesPerRun(input([1, 3, 160, 160]), [4, 160, 160, 3], 't')).toBe(1);
    expect(imagesPerRun(input([2, 3, 160, 160]), [4, 160, 160, 3], 't')).toBe(2);
    expect(imagesPerRun(input(['batch', 3, 'height', 'width']), [4, 96, 128, 3], 't')).toBe(4);
    expect(imagesPerRun(input(null), [5, 96, 128, 3], 't')).toBe(5);
  });

  it('names the declared input for a wrong size, channel count, batch or rank', () => {
    expect(() => imagesPerRun(input([1, 3, 160, 160]), [1, 160, 128, 3], 't')).toThrow("t: the model takes 160x160 images (static input 'images' [1, 3, 160, 160]), got 160x128");
    expect(() => imagesPerRun(input(['b', 3, 640, 'w']), [1, 320, 320, 3], 't')).toThrow("t: the model takes 640xw images (static input 'images' [b, 3, 640, w]), got 320x320");
    expect(() => imagesPerRun(input([1, 1, 160, 160]), [1, 160, 160, 3], 't')).toThrow("t: the model takes 1-channel images (input 'images' [1, 1, 160, 160]), got 3 channels");
    expect(() => imagesPerRun(input([2, 3, 160, 160]), [3, 160, 160, 3], 't')).toThrow("t: the model has a static batch of 2 (input 'images' [2, 3, 160, 160]); a batch of 3 images is not a multiple of it");
    expect(() => imagesPerRun(input([1, 3, 160]), [1, 160, 160, 3], 't')).toThrow("t: the model input 'images' has shape [1, 3, 160], not NCHW images");
    expect(() => imagesPerRun(input([1, 3, 160, 160]), [160, 160, 3], 't')).toThrow('t: expects NHWC images [batch, height, width, channels], got shape [160, 160, 3]');
  });
});
