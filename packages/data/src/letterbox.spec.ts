import sharp from 'sharp';
import { decodeRgb, letterbox, letterboxLabels, letterboxRgb, letterboxTransform, roundHalfEven, unletterboxBox, type RgbBytes } from './letterbox.js';

/** A `width` x `height` RGB image whose pixel (x, y) has the colour `colour(x, y)`. */
function rgb(width: number, height: number, colour: (x: number, y: number) => readonly [number, number, number]): RgbBytes {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(colour(x, y), (y * width + x) * 3);
  return { data, width, height };
}

const pixel = (image: RgbBytes, x: number, y: number): number[] => Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3));

describe('roundHalfEven', () => {
  it('rounds halves to the even neighbour, as Python does', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4, 2.6, 7].map(roundHalfEven)).toEqual([0, 2, 2, 4, 2, 3, 7]);
  });
});

describe('letterboxTransform', () => {
  it('fits 200x100 into 160: scale 0.8, 160x80, 40 px of grey above and below', () => {
    expect(letterboxTransform(200, 100, 160)).toEqual({
      width: 200,
      height: 100,
      size: 160,
      scale: 0.8,
      resizedWidth: 160,
      resizedHeight: 80,
      padX: 0,
      padY: 40,
      padRight: 0,
      padBottom: 40,
    });
  });

  it('splits odd free space as Ultralytics does: round(d/2 - 0.1) before, the rest after', () => {
    // 100x61 -> 64: r = 0.64, 64 x round(39.04) = 39, 25 rows free -> 12 above, 13 below
    const t = letterboxTransform(100, 61, 64);
    expect([t.scale, t.resizedWidth, t.resizedHeight, t.padX, t.padY, t.padRight, t.padBottom]).toEqual([0.64, 64, 39, 0, 12, 0, 13]);
  });

  it('rounds the resized side half to even (6x5 -> 3: 5 * 0.5 = 2.5 -> 2), and enlarges small images', () => {
    const t = letterboxTransform(6, 5, 3);
    expect([t.scale, t.resizedWidth, t.resizedHeight, t.padY, t.padBottom]).toEqual([0.5, 3, 2, 0, 1]);
    const up = letterboxTransform(40, 80, 160);
    expect([up.scale, up.resizedWidth, up.resizedHeight, up.padX, up.padY, up.padRight]).toEqual([2, 80, 160, 40, 0, 40]);
  });

  it('refuses sizes that are not positive integers', () => {
    expect(() => letterboxTransform(0, 10, 16)).toThrow('letterbox: width must be a positive integer, got 0');
    expect(() => letterboxTransform(10, 10, 15.5)).toThrow('letterbox: size must be a positive integer, got 15.5');
  });
});

describe('letterboxLabels', () => {
  it('moves normalised boxes of the original into the letterboxed square', () => {
    const t = letterboxTransform(200, 100, 160);
    // (0.5, 0.5, 0.2, 0.4): centre (100, 50) px -> (80, 40 + 40), size 40x40 px -> 32x32 -> (0.5, 0.5, 0.2, 0.2)
    // (0.25, 0.1, 0.2, 0.2): centre (50, 10) px -> (40, 8 + 40), size 40x20 -> 32x16 -> (0.25, 0.3, 0.2, 0.1)
    const moved = letterboxLabels({ rows: Float32Array.from([3, 0.5, 0.5, 0.2, 0.4, 1, 0.25, 0.1, 0.2, 0.2]), count: 2 }, t);
    expect(moved.count).toBe(2);
    const expected = [3, 0.5, 0.5, 0.2, 0.2, 1, 0.25, 0.3, 0.2, 0.1];
    Array.from(moved.rows).forEach((value, i) => expect(value).toBeCloseTo(expected[i] as number, 6));
  });

  it('uses the padding on the left for tall images', () => {
    // 40x80 -> 160: scale 2, 80x160, 40 px left; (0, 0.5, 1, 1) spans x 40..120 -> centre 80/160, width 80/160
    const moved = letterboxLabels({ rows: Float32Array.from([0, 0.5, 0.5, 1, 1]), count: 1 }, letterboxTransform(40, 80, 160));
    expect(Array.from(moved.rows)).toEqual([0, 0.5, 0.5, 0.5, 1]);
  });

  it('is undone by unletterboxBox', () => {
    const t = letterboxTransform(200, 100, 160);
    // letterboxed x 40..120, y 48..72 -> original (40-0)/0.8 = 50 .. 150, (48-40)/0.8 = 10 .. 40
    const back = unletterboxBox([40, 48, 120, 72], t);
    [50, 10, 150, 40].forEach((value, i) => expect(back[i]).toBeCloseTo(value, 9));
    expect(unletterboxBox([-5, 0, 170, 170], t)).toEqual([0, 0, 200, 100]);
  });
});

describe('letterboxRgb', () => {
  it('fills 40 rows of grey 114 above and below a 200x100 image shrunk to 160x80', async () => {
    // left half red, right half blue
    const { pixels, transform } = await letterboxRgb(
      rgb(200, 100, (x) => (x < 100 ? [255, 0, 0] : [0, 0, 255])),
      160,
    );
    expect([pixels.width, pixels.height, pixels.data.length]).toEqual([160, 160, 160 * 160 * 3]);
    expect(transform.padY).toBe(40);
    for (const y of [0, 39, 120, 159]) for (const x of [0, 80, 159]) expect(pixel(pixels, x, y)).toEqual([114, 114, 114]);
    // the seam at source x = 100 lands at output x = 80; away from it the colours are exact
    for (const y of [40, 80, 119]) {
      for (const x of [0, 40, 77]) expect(pixel(pixels, x, y)).toEqual([255, 0, 0]);
      for (const x of [82, 120, 159]) expect(pixel(pixels, x, y)).toEqual([0, 0, 255]);
    }
  });

  it('only pads when the image already fits (no resampling)', async () => {
    const image = rgb(4, 2, (x, y) => [x * 10, y * 10, 7]);
    const { pixels, transform } = await letterboxRgb(image, 4);
    expect(transform.scale).toBe(1);
    expect(pixel(pixels, 0, 0)).toEqual([114, 114, 114]);
    expect(pixel(pixels, 3, 0)).toEqual([114, 114, 114]);
    expect(pixel(pixels, 0, 1)).toEqual([0, 0, 7]);
    expect(pixel(pixels, 3, 2)).toEqual([30, 10, 7]);
    expect(pixel(pixels, 2, 3)).toEqual([114, 114, 114]);
  });

  it('refuses pixels that do not match their size', async () => {
    await expect(letterboxRgb({ data: new Uint8Array(5), width: 2, height: 2 }, 4)).rejects.toThrow('expected 12 bytes for 2x2 RGB, got 5');
  });
});

describe('letterbox (files)', () => {
  it('decodes PNG, JPEG and WebP to floats 0..1 with grey 114/255 borders', async () => {
    const solid = sharp({ create: { width: 20, height: 10, channels: 3, background: { r: 255, g: 0, b: 0 } } });
    for (const encoded of [await solid.clone().png().toBuffer(), await solid.clone().webp({ lossless: true }).toBuffer()]) {
      const { image, transform } = await letterbox(encoded, 16);
      expect([image.width, image.height, transform.scale, transform.padY]).toEqual([16, 16, 0.8, 4]);
      expect(Array.from(image.data.subarray(0, 3))).toEqual([114 / 255, 114 / 255, 114 / 255].map(Math.fround));
      expect(Array.from(image.data.subarray((8 * 16 + 8) * 3, (8 * 16 + 8) * 3 + 3))).toEqual([1, 0, 0]);
    }
    const jpeg = await letterbox(await solid.clone().jpeg({ quality: 100 }).toBuffer(), 16);
    const centre = Array.from(jpeg.image.data.subarray((8 * 16 + 8) * 3, (8 * 16 + 8) * 3 + 3));
    expect(centre[0]).toBeGreaterThan(0.95);
    expect(centre[1]).toBeLessThan(0.05);
  });

  it('applies EXIF orientation, drops alpha and expands grey', async () => {
    // 20x10 stored, orientation 6 (rotate 90 clockwise) -> shown 10x20
    const rotated = await sharp({ create: { width: 20, height: 10, channels: 3, background: { r: 0, g: 255, b: 0 } } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await decodeRgb(rotated)).width).toBe(10);
    const greyAlpha = await sharp({ create: { width: 2, height: 2, channels: 4, background: { r: 9, g: 9, b: 9, alpha: 0.5 } } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const decoded = await decodeRgb(greyAlpha);
    expect(Array.from(decoded.data.subarray(0, 3))).toEqual([9, 9, 9]);
  });

  it('names the file when it cannot decode it', async () => {
    await expect(letterbox(Buffer.from('not an image'), 16, 'images/x.png')).rejects.toThrow('images/x.png: cannot decode image: Input buffer contains unsupported image format');
  });
});
