import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeImage, encodePng, readImageSize } from './image-decode.js';

describe('encodePng / decodeImage', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'image-decode-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips RGB pixels to floats 0..1 in HWC order', async () => {
    // 2 x 1 image: red-ish, then mid grey
    const png = await encodePng(Uint8Array.from([255, 51, 0, 128, 128, 128]), 2, 1);
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    await writeFile(join(dir, 'a.png'), png);
    const image = await decodeImage(join(dir, 'a.png'));
    expect(image.width).toBe(2);
    expect(image.height).toBe(1);
    expect([...image.data]).toEqual([1, 0.2, 0, 128 / 255, 128 / 255, 128 / 255].map(Math.fround));
  });

  it('drops alpha and expands grey to RGB', async () => {
    await sharp(Buffer.from([10, 20, 30, 40]), { raw: { width: 1, height: 1, channels: 4 } }).png().toFile(join(dir, 'rgba.png'));
    expect([...(await decodeImage(join(dir, 'rgba.png'))).data]).toEqual([10 / 255, 20 / 255, 30 / 255].map(Math.fround));
    await sharp(Buffer.from([100]), { raw: { width: 1, height: 1, channels: 1 } }).png().toFile(join(dir, 'grey.png'));
    expect([...(await decodeImage(join(dir, 'grey.png'))).data]).toEqual([100 / 255, 100 / 255, 100 / 255].map(Math.fround));
  });

  it('names the file it cannot decode', async () => {
    await writeFile(join(dir, 'broken.png'), 'not an image');
    await expect(decodeImage(join(dir, 'broken.png'))).rejects.toThrow(`${join(dir, 'broken.png')}: cannot decode image`);
  });

  it('checks the pixel count when encoding', async () => {
    await expect(encodePng(new Uint8Array(5), 2, 1)).rejects.toThrow('expected 6 bytes for 2x1 RGB, got 5');
  });

  it('reads the size from the header, or by decoding, which also finds a truncated file', async () => {
    const png = await encodePng(new Uint8Array(4 * 3 * 3).fill(90), 4, 3);
    await writeFile(join(dir, 'ok.png'), png);
    expect(await readImageSize(join(dir, 'ok.png'), 'header')).toEqual({ width: 4, height: 3 });
    expect(await readImageSize(join(dir, 'ok.png'), 'decode')).toEqual({ width: 4, height: 3 });
    await writeFile(join(dir, 'cut.png'), png.subarray(0, png.length - 20));
    expect(await readImageSize(join(dir, 'cut.png'), 'header')).toEqual({ width: 4, height: 3 });
    // sharp reports libpng's error or its failOn warning, depending on the run; either is one line
    await expect(readImageSize(join(dir, 'cut.png'), 'decode')).rejects.toThrow(/^[^\n]+$/);
    await writeFile(join(dir, 'text.png'), 'not an image');
    await expect(readImageSize(join(dir, 'text.png'), 'header')).rejects.toThrow(/^Input file contains unsupported image format$/);
  });

  it('reports the size as shown, after EXIF orientation', async () => {
    await sharp({ create: { width: 6, height: 2, channels: 3, background: '#000' } }).jpeg().withMetadata({ orientation: 8 }).toFile(join(dir, 'turned.jpg'));
    expect(await readImageSize(join(dir, 'turned.jpg'), 'header')).toEqual({ width: 2, height: 6 });
    expect(await readImageSize(join(dir, 'turned.jpg'), 'decode')).toEqual({ width: 2, height: 6 });
  });
});
