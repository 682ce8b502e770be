import sharp from 'sharp';
import type { Detection } from '@yolo-distill/core';

/** Ultralytics' default palette (utils/plotting.py Colors), by class index. */
const PALETTE = ['FF3838', 'FF9D97', 'FF701F', 'FFB21D', 'CFD231', '48F90A', '92CC17', '3DDB86', '1A9334', '00D4BB', '2C99A8', '00C2FF', '344593', '6473FF', '0018EC', '8438FF', '520085', 'CB38FF', 'FF95C8', 'FF37C7'];

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A box to draw: a detection, or a true box (no score: labelled with the name alone). */
export type DrawnBox = Pick<Detection, 'cls' | 'box'> & { readonly score?: number };

/** An SVG of the boxes (xyxy, image pixels) with `name score` labels, the size of the image. */
export function boxesSvg(width: number, height: number, detections: readonly DrawnBox[], classNames: readonly string[]): string {
  const line = Math.max(Math.round((width + height) / 2 * 0.003), 2);
  const font = Math.max(line * 5, 10);
  const shapes = detections.map((d) => {
    const [x1, y1, x2, y2] = d.box;
    const colour = `#${PALETTE[d.cls % PALETTE.length]}`;
    const name = escape(classNames[d.cls] ?? String(d.cls));
    const label = d.score === undefined ? name : `${name} ${d.score.toFixed(2)}`;
    const top = y1 - font - 2 >= 0 ? y1 - font - 2 : y1;
    return (
      `<rect x="${x1.toFixed(1)}" y="${y1.toFixed(1)}" width="${(x2 - x1).toFixed(1)}" height="${(y2 - y1).toFixed(1)}" fill="none" stroke="${colour}" stroke-width="${line}"/>` +
      `<rect x="${x1.toFixed(1)}" y="${top.toFixed(1)}" width="${(label.length * font * 0.6 + 4).toFixed(1)}" height="${font + 2}" fill="${colour}"/>` +
      `<text x="${(x1 + 2).toFixed(1)}" y="${(top + font - 1).toFixed(1)}" font-family="sans-serif" font-size="${font}" fill="#FFFFFF">${label}</text>`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes.join('')}</svg>`;
}

/** The image at `path` with its detections drawn, encoded in the format of `out`'s extension (EXIF orientation applied first). */
export async function drawDetections(path: string, out: string, detections: readonly Detection[], classNames: readonly string[]): Promise<void> {
  const image = sharp(path).autoOrient();
  const { width, height } = await image.clone().toBuffer({ resolveWithObject: true }).then(({ info }) => info);
  await image.composite([{ input: Buffer.from(boxesSvg(width, height, detections, classNames)), top: 0, left: 0 }]).toFile(out);
}
