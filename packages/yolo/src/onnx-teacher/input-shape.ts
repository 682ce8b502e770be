// Checking a batch of images against what the graph's input declares.
import type { OnnxValueInfo } from '../onnx/onnx-model.js';

/**
 * Checks NHWC `[batch, height, width, channels]` images against the graph input's NCHW dims (static
 * ones must match; symbolic ones take anything) and returns how many images to run at a time: the
 * static batch size (Ultralytics exports default to 1; a larger batch runs in chunks of it), else all.
 */
export function imagesPerRun(input: OnnxValueInfo, shape: readonly number[], who: string): number {
  if (shape.length !== 4) throw new Error(`${who}: expects NHWC images [batch, height, width, channels], got shape [${shape.join(', ')}]`);
  const [batch, height, width, channels] = shape as [number, number, number, number];
  const dims = input.dims;
  if (!dims) return batch;
  if (dims.length !== 4) throw new Error(`${who}: the model input '${input.name}' has shape [${dims.join(', ')}], not NCHW images`);
  const [n, c, h, w] = dims;
  const declared = `'${input.name}' [${dims.join(', ')}]`;
  if (typeof c === 'number' && c !== channels) throw new Error(`${who}: the model takes ${c}-channel images (input ${declared}), got ${channels} channels`);
  const wrongHeight = typeof h === 'number' && h !== height;
  const wrongWidth = typeof w === 'number' && w !== width;
  if (wrongHeight || wrongWidth) {
    throw new Error(
      `${who}: the model takes ${String(h)}x${String(w)} images (static input ${declared}), got ${height}x${width}; ` +
        `set the data's image size to match or export the model with that imgsz (or dynamic=True)`,
    );
  }
  if (typeof n !== 'number' || n <= 0) return batch;
  if (batch % n !== 0) throw new Error(`${who}: the model has a static batch of ${n} (input ${declared}); a batch of ${batch} images is not a multiple of it`);
  return n;
}
