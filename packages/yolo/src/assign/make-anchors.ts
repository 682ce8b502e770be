import * as tf from '@tensorflow/tfjs-core';

/** A feature map's grid size, `[height, width]`. */
export type GridSize = readonly [height: number, width: number];

/** Anchor centres of every level back to back, as plain arrays. */
export interface AnchorGrid {
  /** [A, 2] (x, y) in grid units of each anchor's own level. */
  readonly points: Float32Array;
  /** [A] the stride of each anchor's level. */
  readonly strides: Float32Array;
  /** A, the number of anchors over all levels. */
  readonly count: number;
}

/**
 * Anchor centres (x + offset, y + offset) per level, ordered level > y > x, with each anchor's
 * stride: Ultralytics' `make_anchors` as plain arrays. Points stay in the level's grid units;
 * multiply by `strides` for pixels.
 */
export function anchorGrid(sizes: readonly GridSize[], strides: readonly number[], offset = 0.5): AnchorGrid {
  if (sizes.length !== strides.length) {
    throw new Error(`anchorGrid: ${sizes.length} grid sizes but ${strides.length} strides; give one stride per level`);
  }
  const count = sizes.reduce((sum, [height, width]) => sum + height * width, 0);
  const points = new Float32Array(count * 2);
  const strideOf = new Float32Array(count);
  let anchor = 0;
  sizes.forEach(([height, width], level) => {
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        points[anchor * 2] = x + offset;
        points[anchor * 2 + 1] = y + offset;
        strideOf[anchor] = strides[level] as number;
        anchor += 1;
      }
    }
  });
  return { points, strides: strideOf, count };
}

/** The same grid as tensors: `anchorPoints` [A, 2] and `strideTensor` [A, 1], as upstream returns them. */
export function makeAnchors(
  sizes: readonly GridSize[],
  strides: readonly number[],
  offset = 0.5,
): { anchorPoints: tf.Tensor2D; strideTensor: tf.Tensor2D } {
  const grid = anchorGrid(sizes, strides, offset);
  return { anchorPoints: tf.tensor2d(grid.points, [grid.count, 2]), strideTensor: tf.tensor2d(grid.strides, [grid.count, 1]) };
}
