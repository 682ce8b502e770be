import sharp from 'sharp';
import { drawSample } from './sample-images.js';

async function pixel(png: string, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(Buffer.from(png, 'base64')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * 3;
  return [data[at], data[at + 1], data[at + 2]] as number[];
}

const near = (actual: number[], expected: number[]) => actual.every((v, i) => Math.abs(v - (expected[i] as number)) <= 8);

describe('drawSample', () => {
  it('draws the true boxes and the predictions at confidence >= 0.25 on the image scaled up to 256 px, in Ultralytics colours', async () => {
    const image = { width: 8, height: 8, data: new Float32Array(8 * 8 * 3).fill(0.5) };
    const box = [1, 1, 6, 6] as const;
    const drawn = await drawSample(image, 'val/0.png', [{ cls: 0, box }], [{ cls: 1, score: 0.9, box }, { cls: 0, score: 0.1, box: [0, 0, 2, 2] }], ['circle', 'square']);
    expect(drawn).toMatchObject({ source: 'val/0.png', truths: 1, predictions: 1 });
    const meta = await sharp(Buffer.from(drawn.truthPng, 'base64')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 256, 256]);
    // x 1 -> 32 px; the left edge at mid-height, and the inside left as it was (0.5 -> 128).
    expect(near(await pixel(drawn.truthPng, 32, 120), [0xff, 0x38, 0x38])).toBe(true);
    expect(near(await pixel(drawn.predictedPng, 32, 120), [0xff, 0x9d, 0x97])).toBe(true);
    expect(await pixel(drawn.truthPng, 110, 120)).toEqual([128, 128, 128]);
    // The 0.1 prediction at [0, 0, 2, 2] is not drawn: its right edge (x 64, y 0..64) stays grey.
    expect(await pixel(drawn.predictedPng, 64, 40)).toEqual([128, 128, 128]);
  });
});
