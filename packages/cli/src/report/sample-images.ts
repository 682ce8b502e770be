import sharp from 'sharp';
import type { Detection, GroundTruth, ImageTensorData } from '@yolo-distill/core';
import { boxesSvg, type DrawnBox } from '../predict/draw-boxes.js';

/** One validation image drawn twice, as Ultralytics' val_batch*_labels / _pred: PNG bytes, base64. */
export interface SampleImage {
  readonly source: string;
  readonly truthPng: string;
  readonly predictedPng: string;
  readonly truths: number;
  readonly predictions: number;
}

/** Predictions below this are not drawn (Ultralytics' plotting threshold). */
export const DRAW_CONFIDENCE = 0.25;
/** Small training images are scaled up to this width for the page. */
const MIN_WIDTH = 256;

/** A letterboxed sample with its true boxes and its predictions at or above {@link DRAW_CONFIDENCE}, drawn as two PNGs. */
export async function drawSample(image: ImageTensorData, source: string, truths: readonly GroundTruth[], detections: readonly Detection[], classNames: readonly string[]): Promise<SampleImage> {
  const shown = detections.filter((d) => d.score >= DRAW_CONFIDENCE);
  return {
    source,
    truthPng: await drawn(image, truths, classNames),
    predictedPng: await drawn(image, shown, classNames),
    truths: truths.length,
    predictions: shown.length,
  };
}

async function drawn(image: ImageTensorData, boxes: readonly DrawnBox[], classNames: readonly string[]): Promise<string> {
  const scale = Math.max(1, MIN_WIDTH / image.width);
  const width = Math.round(image.width * scale);
  const height = Math.round(image.height * scale);
  const pixels = Buffer.alloc(image.width * image.height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(Math.min(1, Math.max(0, image.data[i] as number)) * 255);
  const scaled = boxes.map((b) => ({ ...b, box: [b.box[0] * scale, b.box[1] * scale, b.box[2] * scale, b.box[3] * scale] as const }));
  const base = await sharp(pixels, { raw: { width: image.width, height: image.height, channels: 3 } }).resize(width, height, { kernel: 'nearest' }).png().toBuffer();
  const png = await sharp(base).composite([{ input: Buffer.from(boxesSvg(width, height, scaled, classNames)), top: 0, left: 0 }]).png().toBuffer();
  return png.toString('base64');
}
