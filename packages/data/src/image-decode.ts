import type { ImageTensorData } from '@yolo-distill/core';
import sharp, { type OutputInfo } from 'sharp';

/** Decodes an image file (PNG, JPEG, ...) to RGB floats 0..1 in HWC order; alpha is dropped, grey expanded. */
export async function decodeImage(file: string): Promise<ImageTensorData> {
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new Error(`${file}: cannot decode image: ${(error as Error).message}`, { cause: error });
  }
  const { data, info } = decoded;
  if (info.channels !== 3) throw new Error(`${file}: expected 3 channels after conversion to RGB, got ${info.channels}`);
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i] as number) / 255;
  return { data: out, width: info.width, height: info.height };
}

/** Encodes 8-bit RGB pixels (HWC) as PNG. */
export async function encodePng(pixels: Uint8Array, width: number, height: number): Promise<Buffer> {
  if (pixels.length !== width * height * 3) throw new RangeError(`expected ${width * height * 3} bytes for ${width}x${height} RGB, got ${pixels.length}`);
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 6 }).toBuffer();
}

/** How much of an image file to check: nothing, the header (fast), or a full decode (finds truncated files). */
export type ImageVerification = 'none' | 'header' | 'decode';

/**
 * The size of an image as shown (EXIF orientation applied), from its header or from a full decode.
 * Throws sharp's error (first line) when the file is not a readable image.
 */
export async function readImageSize(file: string, verification: 'header' | 'decode'): Promise<{ width: number; height: number }> {
  try {
    if (verification === 'decode') {
      const { info } = await sharp(file).autoOrient().raw().toBuffer({ resolveWithObject: true });
      return { width: info.width, height: info.height };
    }
    const metadata = await sharp(file).metadata();
    return { width: metadata.autoOrient.width, height: metadata.autoOrient.height };
  } catch (error) {
    throw new Error((error as Error).message.split('\n')[0], { cause: error });
  }
}
