import type { OnnxSessionFactory } from '@yolo-distill/core';
import type { OnnxModelFile } from '@yolo-distill/yolo';
import { collectRanges, type CalibrationImages } from '../calibration/collect-ranges.js';
import { DEFAULT_RANGE_OPTIONS } from '../calibration/tensor-ranges.js';
import { symmetricParams } from '../quant/quant-params.js';
import { calibratedTensors } from './tensorrt-onnx-check.js';
import { ENTROPY_CALIBRATOR_2, type CalibrationCache } from './calibration-cache.js';

/**
 * TensorRT's implicit INT8 calibration done here: every float tensor's magnitude threshold by
 * entropy (TensorRT's EntropyCalibration2 method, symmetric), written as scale = amax / 127.
 */
export async function tensorRtCalibration(model: OnnxModelFile, images: CalibrationImages, sessions: OnnxSessionFactory, version: number): Promise<CalibrationCache> {
  const tensors = calibratedTensors(model);
  const ranges = await collectRanges(model, tensors, images, sessions, { ...DEFAULT_RANGE_OPTIONS, method: 'entropy', symmetric: true });
  const scales = new Map<string, number>();
  for (const name of tensors) {
    const r = ranges.get(name);
    if (r) scales.set(name, symmetricParams(Math.max(Math.abs(r.min), Math.abs(r.max))).scale);
  }
  return { version, calibrator: ENTROPY_CALIBRATOR_2, scales };
}
