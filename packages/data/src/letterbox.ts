import type { ImageTensorData, LabelRows } from '@yolo-distill/core';
import sharp, { type OutputInfo } from 'sharp';

/** The grey Ultralytics pads with, as a byte. */
export const LETTERBOX_GREY = 114;

/**
 * How an image of `width` x `height` sits in the `size` x `size` letterboxed square: scaled by
 * `scale` to `resizedWidth` x `resizedHeight`, then shifted by `padX` (left) and `padY` (top).
 * A point (x, y) of the original image lands at (x * scale + padX, y * scale + padY).
 */
export interface LetterboxTransform {
  readonly width: number;
  readonly height: number;
  readonly size: number;
  readonly scale: number;
  readonly resizedWidth: number;
  readonly resizedHeight: number;
  /** Left padding, pixels. */
  readonly padX: number;
  /** Top padding, pixels. */
  readonly padY: number;
  /** Right and bottom padding (one pixel more than left/top when the free space is odd). */
  readonly padRight: number;
  readonly padBottom: number;
}

/** A letterboxed image (RGB floats 0..1, HWC, `size` x `size`) and how it was made. */
export interface LetterboxedImage {
  readonly image: ImageTensorData;
  readonly transform: LetterboxTransform;
}

/** Python's `round`: halves go to the even neighbour (2.5 -> 2, 3.5 -> 4). */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * The transform of Ultralytics' `LetterBox(new_shape=(size, size), auto=False, scaleup=True, center=True)`:
 * `r = min(size / h, size / w)`, the image resized to `round(w r) x round(h r)` (Python rounding), the
 * free space split as `round(d/2 - 0.1)` before and `round(d/2 + 0.1)` after.
 */
export function letterboxTransform(width: number, height: number, size: number): LetterboxTransform {
  for (const [name, value] of [
    ['width', width],
    ['height', height],
    ['size', size],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`letterbox: ${name} must be a positive integer, got ${value}`);
  }
  const scale = Math.min(size / height, size / width);
  const resizedWidth = Math.min(size, Math.max(1, roundHalfEven(width * scale)));
  const resizedHeight = Math.min(size, Math.max(1, roundHalfEven(height * scale)));
  const dw = (size - resizedWidth) / 2;
  const dh = (size - resizedHeight) / 2;
  const padX = Math.max(0, Math.round(dw - 0.1));
  const padY = Math.max(0, Math.round(dh - 0.1));
  return { width, height, size, scale, resizedWidth, resizedHeight, padX, padY, padRight: size - resizedWidth - padX, padBottom: size - resizedHeight - padY };
}

/**
 * Moves labels (`[cls, cx, cy, w, h]` normalised to the original image) into the letterboxed image
 * (normalised to `size`), as Ultralytics does: pixels of the original, times `scale`, plus the padding.
 */
export function letterboxLabels(labels: LabelRows, transform: LetterboxTransform): LabelRows {
  const { width, height, size, scale, padX, padY } = transform;
  const rows = new Float32Array(labels.count * 5);
  for (let i = 0; i < labels.count; i++) {
    const at = i * 5;
    const source = labels.rows;
    rows[at] = source[at] as number;
    rows[at + 1] = ((source[at + 1] as number) * width * scale + padX) / size;
    rows[at + 2] = ((source[at + 2] as number) * height * scale + padY) / size;
    rows[at + 3] = ((source[at + 3] as number) * width * scale) / size;
    rows[at + 4] = ((source[at + 4] as number) * height * scale) / size;
  }
  return { rows, count: labels.count };
}

/** Maps a box `[x1, y1, x2, y2]` in letterboxed pixels back to pixels of the original image, clipped to it. */
export function unletterboxBox(box: readonly [number, number, number, number], transform: LetterboxTransform): [number, number, number, number] {
  const { width, height, scale, padX, padY } = transform;
  const clip = (value: number, max: number): number => Math.min(max, Math.max(0, value));
  return [clip((box[0] - padX) / scale, width), clip((box[1] - padY) / scale, height), clip((box[2] - padX) / scale, width), clip((box[3] - padY) / scale, height)];
}

/** 8-bit RGB pixels, HWC. */
export interface RgbBytes {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * Decodes an image file or encoded buffer (JPEG, PNG, WebP, ...) to 8-bit RGB as it appears: EXIF
 * orientation applied (as OpenCV's imread does), alpha dropped, grey and CMYK converted to sRGB.
 * Errors name `name` (the file, by default).
 */
export async function decodeRgb(input: string | Buffer, name: string = typeof input === 'string' ? input : '<buffer>'): Promise<RgbBytes> {
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await sharp(input).autoOrient().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new Error(`${name}: cannot decode image: ${firstLine(error)}`, { cause: error });
  }
  const { data, info } = decoded;
  if (info.channels !== 3) throw new Error(`${name}: expected 3 channels after conversion to RGB, got ${info.channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/**
 * Letterboxes 8-bit RGB pixels to `size` x `size`: a linear resize keeping the aspect ratio (skipped
 * when the size is already right), then grey (114) borders. The result is 8-bit RGB too.
 *
 * Ultralytics resizes with OpenCV's INTER_LINEAR; libvips' linear kernel equals it when enlarging and
 * averages over the covered pixels when shrinking (no aliasing), so shrunk images differ slightly.
 */
export async function letterboxRgb(pixels: RgbBytes, size: number): Promise<{ pixels: RgbBytes; transform: LetterboxTransform }> {
  const transform = letterboxTransform(pixels.width, pixels.height, size);
  if (pixels.data.length !== pixels.width * pixels.height * 3) {
    throw new RangeError(`letterbox: expected ${pixels.width * pixels.height * 3} bytes for ${pixels.width}x${pixels.height} RGB, got ${pixels.data.length}`);
  }
  let pipeline = sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 3 } });
  if (transform.resizedWidth !== pixels.width || transform.resizedHeight !== pixels.height) {
    pipeline = pipeline.resize(transform.resizedWidth, transform.resizedHeight, { fit: 'fill', kernel: 'linear' });
  }
  const grey = { r: LETTERBOX_GREY, g: LETTERBOX_GREY, b: LETTERBOX_GREY };
  if (transform.padX + transform.padY + transform.padRight + transform.padBottom > 0) {
    pipeline = pipeline.extend({ top: transform.padY, bottom: transform.padBottom, left: transform.padX, right: transform.padRight, background: grey });
  }
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.width !== size || info.height !== size || info.channels !== 3) {
    throw new Error(`letterbox: expected ${size}x${size}x3, sharp produced ${info.width}x${info.height}x${info.channels}`);
  }
  return { pixels: { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: size, height: size }, transform };
}

/** Bytes 0..255 -> floats 0..1. */
export function rgbToFloat(pixels: RgbBytes): ImageTensorData {
  const out = new Float32Array(pixels.data.length);
  for (let i = 0; i < out.length; i++) out[i] = (pixels.data[i] as number) / 255;
  return { data: out, width: pixels.width, height: pixels.height };
}

/**
 * Decodes an image file (or encoded buffer) and letterboxes it to `size` x `size`: the image as RGB
 * floats 0..1 (HWC) and the transform, to move labels with `letterboxLabels`.
 */
export async function letterbox(input: string | Buffer, size: number, name?: string): Promise<LetterboxedImage> {
  const decoded = await decodeRgb(input, name);
  const { pixels, transform } = await letterboxRgb(decoded, size);
  return { image: rgbToFloat(pixels), transform };
}

export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
