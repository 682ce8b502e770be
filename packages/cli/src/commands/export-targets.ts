import { writeFileAtomic, type DatasetSource } from '@yolo-distill/core';
import { OrtSessionFactory } from '@yolo-distill/backend';
import { checkNpu, checkTensorRtOnnx, datasetCalibrationImages, formatNpuReport, npuProfile, tensorRtCalibration, tensorRtVersionNumber, writeCalibrationCache } from '@yolo-distill/quantize';
import { readOnnxModel } from '@yolo-distill/yolo';
import { EXIT, type CliIO } from '../cli-io.js';

/** The ONNX export's file for a target (`model.onnx` -> `model.<suffix>`). */
export function besideOnnx(onnx: string, suffix: string): string {
  return `${onnx.replace(/\.onnx$/, '')}.${suffix}`;
}

export interface TensorRtOptions {
  readonly int8: boolean;
  readonly version: string;
  readonly calibrationImages: number;
}

/**
 * `--format tensorrt`: the ONNX just written must parse in TensorRT (static shapes, known ops); with
 * `--int8` its implicit-quantization calibration cache (entropy, every float tensor) goes beside it.
 * Prints the trtexec line that builds the engine.
 */
export async function finishTensorRt(onnx: string, data: DatasetSource, options: TensorRtOptions, io: CliIO): Promise<number> {
  const model = await readOnnxModel(onnx);
  const problems = checkTensorRtOnnx(model);
  if (problems.length > 0) {
    for (const p of problems) io.stderr(`  ${p.node}: ${p.problem} -> ${p.fix}\n`);
    io.stderr(`error: ${onnx}: ${problems.length} problem(s) for TensorRT's ONNX parser\n`);
    return EXIT.failed;
  }
  const engine = besideOnnx(onnx, options.int8 ? 'int8.engine' : 'engine');
  if (!options.int8) {
    io.stdout(`TensorRT: ${onnx} has static shapes and only ops its ONNX parser imports\ntrtexec --onnx=${onnx} --saveEngine=${engine}\n`);
    return EXIT.ok;
  }
  await data.prepare();
  const sessions = new OrtSessionFactory({ executionProviders: ['cpu'] });
  const cache = await tensorRtCalibration(model, datasetCalibrationImages(data, options.calibrationImages), sessions, tensorRtVersionNumber(options.version));
  const file = besideOnnx(onnx, 'calib');
  await writeFileAtomic(file, writeCalibrationCache(cache));
  io.stdout(
    `TensorRT: ${onnx} has static shapes and only ops its ONNX parser imports\n` +
      `wrote ${file} (TRT-${cache.version}-${cache.calibrator}, ${cache.scales.size} tensor scales from ${Math.min(options.calibrationImages, data.size('train'))} training images; TensorRT ${options.version} reads it, another version calibrates again)\n` +
      `trtexec --onnx=${onnx} --int8 --calib=${file} --saveEngine=${engine}\n`,
  );
  return EXIT.ok;
}

/** `--format npu --profile <name>`: every layer the profile's compiler would refuse or slow down, with its fix; exit 1 when any. */
export async function finishNpu(onnx: string, profileName: string, io: CliIO): Promise<number> {
  const report = checkNpu(await readOnnxModel(onnx), npuProfile(profileName));
  const file = `${onnx}.npu.json`;
  await writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
  io.stdout(formatNpuReport(report));
  io.stdout(`report ${file}\n`);
  return report.violations.length === 0 ? EXIT.ok : EXIT.failed;
}
