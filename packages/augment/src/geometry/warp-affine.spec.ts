import type { ImageTensorData } from '@yolo-distill/core';
import { compose, IDENTITY, translation, type Affine } from './affine.js';
import { checkImage, FILL_VALUE, warpAffine } from './warp-affine.js';

/** A one-row image whose pixel x is (values[x], 0, 1). */
function row(values: readonly number[]): ImageTensorData {
  return { data: Float32Array.from(values.flatMap((v) => [v, 0, 1])), width: values.length, height: 1 };
}

const red = (image: ImageTensorData): number[] => Array.from({ length: image.width * image.height }, (_, i) => image.data[i * 3]!);

describe('warpAffine', () => {
  it('copies the image under the identity', () => {
    const image = row([0.1, 0.2, 0.3]);
    expect(warpAffine(image, IDENTITY, 3, 1).data).toEqual(image.data);
  });

  it('shifts by integer translations exactly, filling the uncovered pixels with 114/255', () => {
    const image = row([0.1, 0.2, 0.3, 0.4]);
    expect(red(warpAffine(image, translation(1, 0), 4, 1))).toEqual([FILL_VALUE, 0.1, 0.2, 0.3].map(Math.fround));
    expect(red(warpAffine(image, translation(-2, 0), 3, 1))).toEqual([0.3, 0.4, FILL_VALUE].map(Math.fround));
    // Cropping a window of a 2-D image: output (x, y) = input (x + 1, y + 1).
    const grid: ImageTensorData = { data: Float32Array.from({ length: 9 * 3 }, (_, i) => i), width: 3, height: 3 };
    const crop = warpAffine(grid, translation(-1, -1), 2, 2);
    expect(Array.from(crop.data)).toEqual([12, 13, 14, 15, 16, 17, 21, 22, 23, 24, 25, 26]);
  });

  it('samples bilinearly at pixel centres: half a pixel to the right averages neighbours, the edge blends with the fill', () => {
    const image = row([0, 1, 0.5]);
    const shifted = red(warpAffine(image, translation(0.5, 0), 3, 1));
    // Output centre 0.5 -> input 0.0, between the fill and pixel 0; then (0 + 1)/2; (1 + 0.5)/2.
    expect(shifted[0]).toBeCloseTo((FILL_VALUE + 0) / 2, 6);
    expect(shifted[1]).toBeCloseTo(0.5, 6);
    expect(shifted[2]).toBeCloseTo(0.75, 6);
  });

  it('halves an image about its centre: each output pixel averages two input pixels', () => {
    // x' = 0.5 (x - 2) + 2: output centre 1.5 <- input 1.0 (between pixels 0 and 1), 2.5 <- 3.0.
    const image = row([0.2, 0.4, 0.6, 1.0]);
    const half = compose(translation(2, 0), [0.5, 0, 0, 0, 1, 0] as Affine, translation(-2, 0));
    const out = red(warpAffine(image, half, 4, 1));
    expect(out[0]).toBeCloseTo(FILL_VALUE, 6);
    expect(out[1]).toBeCloseTo(0.3, 6);
    expect(out[2]).toBeCloseTo(0.8, 6);
    expect(out[3]).toBeCloseTo(FILL_VALUE, 6);
  });

  it('rotates a 2x2 image by 90 degrees about its centre exactly', () => {
    // pixels a b / c d; the map (x, y) -> (y, 2 - x) about (1, 1) sends a to the bottom-left.
    const image: ImageTensorData = { data: Float32Array.from([1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0]), width: 2, height: 2 };
    const rotate: Affine = [0, 1, 0, -1, 0, 2];
    expect(red(warpAffine(image, rotate, 2, 2))).toEqual([2, 4, 1, 3]);
  });

  it('checks that the data holds width x height RGB pixels', () => {
    expect(() => checkImage({ data: new Float32Array(5), width: 2, height: 1 }, 'a.jpg')).toThrow('a.jpg: image of 2x1 needs 6 RGB values, it has 5');
  });
});
