/** Ground truths per image, padded to the largest count, as the assigner reads them. */
export interface PaddedTargets {
  /** M, the most ground truths in one image (0 when the batch has none). */
  readonly maxBoxes: number;
  /** [B, M] classes (0 for padding). */
  readonly gtLabels: Int32Array;
  /** [B, M, 4] boxes in pixels, xyxy (zeros for padding). */
  readonly gtBoxes: Float32Array;
  /** [B, M] 1 where the box is real: its xyxy sum is > 0, as upstream's `mask_gt`. */
  readonly gtMask: Uint8Array;
}

/**
 * Target rows `[imageIndex, cls, cx, cy, w, h]` (normalised) -> per-image padded ground truths in
 * pixels, xyxy (Ultralytics' `v8DetectionLoss.preprocess`). Rows keep their order within an image;
 * unlike upstream, the rows need not be sorted by image.
 */
export function padTargets(
  targets: Float32Array,
  count: number,
  batchSize: number,
  numClasses: number,
  imageSize: { readonly height: number; readonly width: number },
): PaddedTargets {
  if (targets.length < count * 6) throw new Error(`targets: ${count} rows need ${count * 6} values, got ${targets.length}`);
  const perImage = new Int32Array(batchSize);
  for (let row = 0; row < count; row += 1) {
    const image = targets[row * 6] as number;
    const cls = targets[row * 6 + 1] as number;
    if (!(Number.isInteger(image) && image >= 0 && image < batchSize)) {
      throw new Error(`targets row ${row}: image index ${image} is outside the batch 0..${batchSize - 1}`);
    }
    if (!(Number.isInteger(cls) && cls >= 0 && cls < numClasses)) {
      throw new Error(`targets row ${row}: class ${cls} is not an integer in 0..${numClasses - 1}`);
    }
    perImage[image] = (perImage[image] as number) + 1;
  }
  const maxBoxes = perImage.reduce((max, n) => Math.max(max, n), 0);
  const gtLabels = new Int32Array(batchSize * maxBoxes);
  const gtBoxes = new Float32Array(batchSize * maxBoxes * 4);
  const gtMask = new Uint8Array(batchSize * maxBoxes);
  const filled = new Int32Array(batchSize);
  const { width, height } = imageSize;
  for (let row = 0; row < count; row += 1) {
    const [image, cls, cx, cy, w, h] = Array.from(targets.subarray(row * 6, row * 6 + 6)) as [number, number, number, number, number, number];
    const slot = image * maxBoxes + (filled[image] as number);
    filled[image] = (filled[image] as number) + 1;
    const box = [(cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height];
    gtLabels[slot] = cls;
    gtBoxes.set(box, slot * 4);
    gtMask[slot] = gtBoxes.subarray(slot * 4, slot * 4 + 4).reduce((sum, v) => sum + v, 0) > 0 ? 1 : 0;
  }
  return { maxBoxes, gtLabels, gtBoxes, gtMask };
}
