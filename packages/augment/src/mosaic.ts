import { parseWith, type Augmentation, type AugmentContext, type PluginDescriptor, type Sample } from '@yolo-distill/core';
import { z } from 'zod';
import { applyAffine, compose, invert, translation } from './geometry/affine.js';
import { clipBoxes, concatBoxes, labelsToPixels, pixelsToLabels, transformBoxes } from './geometry/boxes.js';
import { checkImage, FILL_VALUE, warpAffine } from './geometry/warp-affine.js';
import { probability } from './probability.js';
import { affineJitterShape, randomAffine, type AffineJitter } from './random-affine.js';

export interface MosaicConfig extends AffineJitter {
  readonly p: number;
}

/**
 * Ultralytics' `mosaic: 1.0`. The jitter is the random_perspective that follows a mosaic there,
 * done here in the same warp (so zooming out shows the rest of the canvas, not grey); it is off by
 * default, making the crop exact. For Ultralytics' training recipe set `scale: 0.5, translate: 0.1`
 * here and leave `augment.RandomAffine` for pipelines without Mosaic.
 */
export const MOSAIC_DEFAULTS: MosaicConfig = { p: 1, degrees: 0, translate: 0, scale: 0, shear: 0 };

const mosaicSchema = z.strictObject({ p: probability(MOSAIC_DEFAULTS.p), ...affineJitterShape(MOSAIC_DEFAULTS) });

/**
 * `augment.Mosaic`: Ultralytics' 4-image mosaic (`Mosaic._mosaic4`) followed by its border crop.
 *
 * Geometry, for a sample of `W x H` (the output size) and three more drawn with `drawSample()`:
 * 1. A `2W x 2H` canvas filled with 114/255. The centre is `yc = trunc(U(H/2, 3H/2))`, then
 *    `xc = trunc(U(W/2, 3W/2))` (Ultralytics' draw order, integer pixels; halves floored for odd sizes).
 * 2. Image i (of its own `w x h`) is placed with one corner on the centre: the sample top-left
 *    (bottom-right corner at `(xc, yc)`), then top-right, bottom-left, bottom-right; whatever falls
 *    off the canvas is cut. Its boxes shift by the same offset, are clipped to the canvas and dropped
 *    if no area is left.
 * 3. The canvas goes through the affine map of `randomAffine` from `2W x 2H` to `W x H`
 *    (Ultralytics' `random_perspective` with `border = -W/2, -H/2`). Without jitter that map is the
 *    translation by `(-W/2, -H/2)`: the output is the canvas window `[W/2, 3W/2) x [H/2, 3H/2)`,
 *    copied exactly (for even sizes), and the mosaic centre lands at `(xc - W/2, yc - H/2)`.
 *    Boxes are clipped to the output and filtered by `box_candidates` against their canvas boxes.
 */
export class Mosaic implements Augmentation {
  readonly name = 'augment.Mosaic';

  constructor(private readonly config: MosaicConfig = MOSAIC_DEFAULTS) {}

  get probability(): number {
    return this.config.p;
  }

  async apply(sample: Sample, { rng, drawSample }: AugmentContext): Promise<Sample> {
    const parts: Sample[] = [sample];
    for (let i = 0; i < 3; i++) parts.push(await drawSample());
    for (const part of parts) checkImage(part.image, part.source);
    const { width, height } = sample.image;
    const canvasWidth = 2 * width;
    const canvasHeight = 2 * height;
    // Ultralytics: int(uniform(s // 2, 2s - s // 2)), y first.
    const yc = Math.trunc(rng.uniform(Math.floor(height / 2), canvasHeight - Math.floor(height / 2)));
    const xc = Math.trunc(rng.uniform(Math.floor(width / 2), canvasWidth - Math.floor(width / 2)));
    const placed = parts.map((part, i) => {
      const { width: w, height: h } = part.image;
      // (x1a, y1a, x2a, y2a): the region on the canvas; (x1b, y1b): where it starts in the image.
      const x1a = i % 2 === 0 ? Math.max(xc - w, 0) : xc;
      const x2a = i % 2 === 0 ? xc : Math.min(xc + w, canvasWidth);
      const y1a = i < 2 ? Math.max(yc - h, 0) : yc;
      const y2a = i < 2 ? yc : Math.min(yc + h, canvasHeight);
      const x1b = i % 2 === 0 ? w - (x2a - x1a) : 0;
      const y1b = i < 2 ? h - (y2a - y1a) : 0;
      return { part, x1a, x2a, y1a, y2a, x1b, y1b };
    });
    const boxes = placed.map(({ part, x1a, y1a, x1b, y1b }) =>
      clipBoxes(labelsToPixels(part.labels, part.image.width, part.image.height, x1a - x1b, y1a - y1b), canvasWidth, canvasHeight),
    );
    const canvasSize = { width: canvasWidth, height: canvasHeight };
    const drawn = randomAffine(rng, this.config, canvasSize, sample.image);
    // Only the window of the canvas that the output samples is built (a quarter of it without jitter):
    // the output's preimage plus 2 pixels for bilinear neighbours. Outside it, canvas and window are both fill.
    const inverse = invert(drawn.matrix);
    const corners = [applyAffine(inverse, 0, 0), applyAffine(inverse, width, 0), applyAffine(inverse, 0, height), applyAffine(inverse, width, height)];
    const clamp = (v: number, high: number) => Math.min(Math.max(v, 0), high);
    const wx0 = clamp(Math.floor(Math.min(...corners.map(([x]) => x))) - 2, canvasWidth);
    const wx1 = Math.max(wx0, clamp(Math.ceil(Math.max(...corners.map(([x]) => x))) + 2, canvasWidth));
    const wy0 = clamp(Math.floor(Math.min(...corners.map(([, y]) => y))) - 2, canvasHeight);
    const wy1 = Math.max(wy0, clamp(Math.ceil(Math.max(...corners.map(([, y]) => y))) + 2, canvasHeight));
    const windowWidth = wx1 - wx0;
    const canvas = new Float32Array(windowWidth * (wy1 - wy0) * 3).fill(FILL_VALUE);
    for (const { part, x1a, x2a, y1a, y2a, x1b, y1b } of placed) {
      const from = Math.max(x1a, wx0);
      const to = Math.min(x2a, wx1);
      if (to <= from) continue;
      for (let y = Math.max(y1a, wy0); y < Math.min(y2a, wy1); y++) {
        const at = ((y - y1a + y1b) * part.image.width + (from - x1a + x1b)) * 3;
        canvas.set(part.image.data.subarray(at, at + (to - from) * 3), ((y - wy0) * windowWidth + (from - wx0)) * 3);
      }
    }
    const image = warpAffine({ data: canvas, width: windowWidth, height: wy1 - wy0 }, compose(drawn.matrix, translation(wx0, wy0)), width, height);
    const moved = transformBoxes(concatBoxes(boxes), drawn.matrix, width, height, drawn.zoom);
    return { ...sample, image, labels: pixelsToLabels(moved, width, height) };
  }
}

export const mosaicAugmentation: PluginDescriptor<MosaicConfig, Augmentation> = {
  type: 'augment.Mosaic',
  kind: 'augmentation',
  summary: '4-image mosaic around a random centre, cropped back to the image size (Ultralytics mosaic); optional affine jitter',
  schema: mosaicSchema,
  parse: (raw, at) => parseWith(mosaicSchema, raw, at),
  create: (config) => new Mosaic(config),
};
