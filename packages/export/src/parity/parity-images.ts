import * as tf from '@tensorflow/tfjs-core';
import type { DatasetSource, Split } from '@yolo-distill/core';

export interface ParityImages {
  /** NHWC `[n, height, width, 3]`, values 0..1. */
  readonly images: tf.Tensor4D;
  /** Where each image came from (file or sample name). */
  readonly sources: readonly string[];
}

/**
 * A batch of real images from a dataset for the parity check: the first `count` of the validation
 * split (the training split if it has none), resized to the export size when the data's differs.
 */
export async function parityImages(data: DatasetSource, count: number, size: readonly [number, number]): Promise<ParityImages> {
  await data.prepare();
  const split: Split = data.size('val') > 0 ? 'val' : 'train';
  const available = data.size(split);
  if (available === 0) throw new Error(`${data.name} (${data.root}): no images in its train or val split to check the export with`);
  const n = Math.min(count, available);
  const sources: string[] = [];
  const maps: tf.Tensor3D[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const sample = await data.sample(split, i);
      const { data: pixels, width, height } = sample.image;
      sources.push(sample.source);
      maps.push(
        tf.tidy(() => {
          const image = tf.tensor3d(pixels, [height, width, 3]);
          return height === size[0] && width === size[1] ? image : tf.image.resizeBilinear(image, [size[0], size[1]]);
        }),
      );
    }
    return { images: tf.stack(maps) as tf.Tensor4D, sources };
  } finally {
    tf.dispose(maps);
  }
}
