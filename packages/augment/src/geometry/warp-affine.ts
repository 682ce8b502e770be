import type { ImageTensorData } from '@yolo-distill/core';
import { invert, type Affine } from './affine.js';

/** The grey Ultralytics pads with: 114 of 255 on every channel. */
export const FILL_VALUE = 114 / 255;

/** Throws unless `data` holds `width x height` RGB pixels. */
export function checkImage(image: ImageTensorData, source: string): void {
  const expected = image.width * image.height * 3;
  if (!(image.width > 0 && image.height > 0) || image.data.length !== expected) {
    throw new Error(`${source}: image of ${image.width}x${image.height} needs ${expected} RGB values, it has ${image.data.length}`);
  }
}

/**
 * `cv2.warpAffine(image, m, (width, height), borderValue=fill)` in the continuous pixel convention
 * of `affine.ts`: output pixel `(x, y)` takes the bilinear sample of the input at `m⁻¹(x + 0.5, y + 0.5)`,
 * whose pixel indices are that point minus 0.5. Neighbours outside the input count as `fill` (OpenCV's
 * BORDER_CONSTANT). Integer translations, the common case of Mosaic's crop, copy rows instead.
 *
 * For translations this is exactly OpenCV's result; under scaling OpenCV maps pixel indices (not
 * centres), which shifts its image by up to half a pixel against the labels it transforms. Here
 * labels and pixels agree.
 */
export function warpAffine(image: ImageTensorData, m: Affine, width: number, height: number, fill = FILL_VALUE): ImageTensorData {
  const [ia, ib, ic, id, ie, iF] = invert(m);
  if (ia === 1 && ib === 0 && id === 0 && ie === 1 && Number.isInteger(ic) && Number.isInteger(iF)) {
    return translateImage(image, -ic, -iF, width, height, fill);
  }
  const src = image.data;
  const w = image.width;
  const h = image.height;
  const stride = w * 3;
  const out = new Float32Array(width * height * 3);
  let o = 0;
  for (let y = 0; y < height; y++) {
    const cy = y + 0.5;
    // Source index coordinates at x: (ia·(x + 0.5) + ib·cy + ic) - 0.5, likewise for y.
    const rowX = ib * cy + ic - 0.5;
    const rowY = ie * cy + iF - 0.5;
    for (let x = 0; x < width; x++, o += 3) {
      const cx = x + 0.5;
      const sx = ia * cx + rowX;
      const sy = id * cx + rowY;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {
        const i00 = y0 * stride + x0 * 3;
        const i01 = i00 + stride;
        out[o] = src[i00] * w00 + src[i00 + 3] * w10 + src[i01] * w01 + src[i01 + 3] * w11;
        out[o + 1] = src[i00 + 1] * w00 + src[i00 + 4] * w10 + src[i01 + 1] * w01 + src[i01 + 4] * w11;
        out[o + 2] = src[i00 + 2] * w00 + src[i00 + 5] * w10 + src[i01 + 2] * w01 + src[i01 + 5] * w11;
      } else if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) {
        out[o] = fill;
        out[o + 1] = fill;
        out[o + 2] = fill;
      } else {
        // On the border: each neighbour is a pixel or the fill.
        const in0 = x0 >= 0;
        const in1 = x0 + 1 < w;
        const row0 = y0 >= 0 ? y0 * stride : -1;
        const row1 = y0 + 1 < h ? (y0 + 1) * stride : -1;
        for (let c = 0; c < 3; c++) {
          const p00 = row0 >= 0 && in0 ? src[row0 + x0 * 3 + c] : fill;
          const p10 = row0 >= 0 && in1 ? src[row0 + x0 * 3 + 3 + c] : fill;
          const p01 = row1 >= 0 && in0 ? src[row1 + x0 * 3 + c] : fill;
          const p11 = row1 >= 0 && in1 ? src[row1 + x0 * 3 + 3 + c] : fill;
          out[o + c] = p00 * w00 + p10 * w10 + p01 * w01 + p11 * w11;
        }
      }
    }
  }
  return { data: out, width, height };
}

/** Output pixel `(x, y)` = input pixel `(x - tx, y - ty)`, or `fill` where that is outside; integer shifts only. */
function translateImage(image: ImageTensorData, tx: number, ty: number, width: number, height: number, fill: number): ImageTensorData {
  const out = new Float32Array(width * height * 3).fill(fill);
  const x0 = Math.max(0, tx);
  const x1 = Math.min(width, image.width + tx);
  if (x1 > x0) {
    for (let y = Math.max(0, ty); y < Math.min(height, image.height + ty); y++) {
      const from = ((y - ty) * image.width + (x0 - tx)) * 3;
      out.set(image.data.subarray(from, from + (x1 - x0) * 3), (y * width + x0) * 3);
    }
  }
  return { data: out, width, height };
}
