import { readFile } from 'node:fs/promises';
import type { OnnxSessionFactory } from '@yolo-distill/core';
import type { CalibrationImages } from '../calibration/collect-ranges.js';

export interface OutputComparison {
  readonly name: string;
  /** Summed |int8 - fp32| over summed |fp32|, over every image. */
  readonly meanRelativeError: number;
  readonly maxAbsError: number;
}

/** Runs the FP32 file and the INT8 bytes in onnxruntime on the same images and measures how far each output moved. */
export async function compareWithFloat(fp32File: string, int8: Uint8Array, images: CalibrationImages, sessions: OnnxSessionFactory): Promise<OutputComparison[]> {
  const float = await sessions.create(await readFile(fp32File));
  const quantized = await sessions.create(int8);
  try {
    const sums = new Map<string, { error: number; magnitude: number; max: number }>();
    for (let i = 0; i < images.count; i++) {
      const image = await images.image(i);
      const feeds = { [float.inputNames[0] as string]: image };
      const [a, b] = [await float.run(feeds), await quantized.run(feeds)];
      for (const [name, ref] of Object.entries(a)) {
        const got = b[name];
        if (!got) throw new Error(`the INT8 model has no output '${name}'`);
        const s = sums.get(name) ?? { error: 0, magnitude: 0, max: 0 };
        for (let k = 0; k < ref.data.length; k++) {
          const d = Math.abs((got.data[k] as number) - (ref.data[k] as number));
          s.error += d;
          s.magnitude += Math.abs(ref.data[k] as number);
          s.max = Math.max(s.max, d);
        }
        sums.set(name, s);
      }
    }
    return [...sums].map(([name, s]) => ({ name, meanRelativeError: s.magnitude > 0 ? s.error / s.magnitude : s.error, maxAbsError: s.max }));
  } finally {
    await float.release();
    await quantized.release();
  }
}
