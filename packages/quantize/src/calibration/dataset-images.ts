import type { DatasetSource, Split } from '@yolo-distill/core';
import type { CalibrationImages } from './collect-ranges.js';

/**
 * `count` images of a dataset split, evenly spaced over it (deterministic, no RNG draw), as NCHW
 * tensors `[1, 3, H, W]`: the pipeline's own letterboxed images, as the model was trained on them.
 */
export function datasetCalibrationImages(data: DatasetSource, count: number, split: Split = 'train'): CalibrationImages {
  const size = data.size(split);
  if (size === 0) throw new Error(`${data.name}: the ${split} split is empty; calibration needs images`);
  const n = Math.min(count, size);
  return {
    count: n,
    image: async (i) => {
      const { image } = await data.sample(split, Math.floor((i * size) / n));
      const { width, height } = image;
      const plane = width * height;
      const nchw = new Float32Array(3 * plane);
      for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) nchw[c * plane + p] = image.data[p * 3 + c] as number;
      return { data: nchw, dims: [1, 3, height, width] };
    },
  };
}
