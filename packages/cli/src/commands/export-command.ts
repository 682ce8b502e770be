import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { PluginRegistry } from '@yolo-distill/core';
import { DEFAULT_NMS, exportOnnx, exportTfjsGraph, formatParity, ONNX_OPSETS, ParityError, type OnnxOpset, type OnnxOutputMode } from '@yolo-distill/export';
import { OrtSessionFactory } from '@yolo-distill/backend';
import { EXIT, type CliIO } from '../cli-io.js';
import { openTrainedModel, TrainedModelError } from '../models/trained-model.js';
import { NPU_PROFILES } from '@yolo-distill/quantize';
import { besideOnnx, finishNpu, finishTensorRt } from './export-targets.js';

/** The flags of `yolo-distill export` (commander's option object: numbers arrive as strings). */
export interface ExportOptions {
  readonly format?: string;
  readonly out?: string;
  readonly opset?: string | number;
  readonly dynamic?: boolean;
  readonly raw?: boolean;
  /** `--nms` alone or `--nms onnx`: ONNX NonMaxSuppression; `--nms trt`: TensorRT's EfficientNMS_TRT. */
  readonly nms?: boolean | string;
  readonly conf?: string | number;
  readonly iou?: string | number;
  readonly imgsz?: string | number;
  readonly images?: string | number;
  /** `--format tensorrt`: also write the INT8 calibration cache. */
  readonly int8?: boolean;
  /** `--format tensorrt --int8`: the TensorRT version the cache's header names (TensorRT ignores another version's cache). */
  readonly trtVersion?: string;
  readonly calibImages?: string | number;
  /** `--format npu`: the profile to check against. */
  readonly profile?: string;
}

class ExportFlagError extends Error {}

const FORMATS = ['onnx', 'tfjs', 'tensorrt', 'npu'] as const;
const NMS_KINDS = ['onnx', 'trt'] as const;

function numberFlag(value: string | number | undefined, flag: string, fallback: number, check: (n: number) => boolean, expected: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!check(n)) throw new ExportFlagError(`${flag} expects ${expected}, got '${String(value)}'`);
  return n;
}

/**
 * `yolo-distill export <checkpoint-folder | run folder> [--format onnx|tfjs|tensorrt|npu] [--out PATH] [--opset 13|17]
 * [--dynamic] [--raw] [--nms [onnx|trt] [--conf --iou]] [--imgsz N] [--images N] [--int8 [--trt-version V] [--calib-images N]]
 * [--profile NAME]`: rebuilds the run's
 * student with the checkpoint's weights, writes it (default `<run>/export/<model>.onnx`, or the folder
 * `<run>/export/<model>_web_model` for tfjs) and checks it against the tfjs model on the run's data
 * (onnxruntime for ONNX, tf.loadGraphModel for TF.js); prints and saves the figures. Exit 0 written,
 * 1 the parity check failed (nothing written), 2 bad input. `tensorrt`: the ONNX checked for TensorRT's
 * parser, with `--int8` its calibration cache, and the trtexec line; `npu`: the ONNX checked against an
 * NPU profile, every violation printed per layer with its fix (exit 1 when any).
 */
export async function exportCommand(path: string, options: ExportOptions, registry: PluginRegistry, io: CliIO): Promise<number> {
  let trained;
  try {
    const format = options.format ?? 'onnx';
    if (!FORMATS.includes(format as never)) throw new ExportFlagError(`--format must be one of ${FORMATS.join(', ')}, got '${format}'`);
    const opset = numberFlag(options.opset, '--opset', 13, (n) => ONNX_OPSETS.includes(n as OnnxOpset), ONNX_OPSETS.join(' or '));
    const conf = numberFlag(options.conf, '--conf', DEFAULT_NMS.confThreshold, (n) => n >= 0 && n <= 1, 'a number in [0, 1]');
    const iou = numberFlag(options.iou, '--iou', DEFAULT_NMS.iouThreshold, (n) => n >= 0 && n <= 1, 'a number in [0, 1]');
    const images = numberFlag(options.images, '--images', 4, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
    const nms = options.nms === undefined || options.nms === false ? undefined : options.nms === true ? 'onnx' : options.nms;
    if (nms !== undefined && !NMS_KINDS.includes(nms as never)) throw new ExportFlagError(`--nms takes ${NMS_KINDS.join(' or ')} (ONNX NonMaxSuppression or TensorRT's EfficientNMS_TRT), got '${nms}'`);
    if (options.raw && nms) throw new ExportFlagError('--raw and --nms exclude each other (NMS needs the decoded head)');
    if (format === 'tfjs' && nms) throw new ExportFlagError('--nms is an option of the ONNX export; a TF.js graph returns the decoded or raw head');
    if (format === 'tensorrt' && options.dynamic) throw new ExportFlagError('--format tensorrt writes a static model (what an INT8 engine is built for); drop --dynamic');
    if (options.int8 && format !== 'tensorrt') throw new ExportFlagError('--int8 belongs to --format tensorrt (for a QDQ ONNX model, use a quantize.Int8 stage)');
    if (format === 'npu' && !options.profile) throw new ExportFlagError(`--format npu needs --profile (${Object.keys(NPU_PROFILES).join(', ')})`);
    if (options.profile !== undefined && format !== 'npu') throw new ExportFlagError('--profile belongs to --format npu');
    if (options.profile !== undefined && !(options.profile in NPU_PROFILES)) throw new ExportFlagError(`--profile must be one of ${Object.keys(NPU_PROFILES).join(', ')}, got '${options.profile}'`);
    const calibImages = numberFlag(options.calibImages, '--calib-images', 256, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
    trained = await openTrainedModel(path, registry, io);
    const imgsz = numberFlag(options.imgsz, '--imgsz', trained.data.imageSize, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
    const provenance = { pipeline: trained.pipelineName, checkpoint: trained.checkpoint, checkpointSha256: trained.checkpointSha256 };
    io.stdout(`${trained.model.name} from ${trained.checkpoint} (${trained.backend} backend)\n`);
    const batch = options.dynamic ? 'dynamic' : 'static';
    if (format === 'tfjs') {
      const out = resolve(options.out ?? join(trained.runFolder, 'export', `${trained.model.name}_web_model`));
      await mkdir(dirname(out), { recursive: true });
      const result = await exportTfjsGraph(
        trained.model,
        { out, dynamic: options.dynamic === true, output: options.raw ? 'raw' : 'decoded', imageSize: [imgsz, imgsz], parityImages: images, provenance },
        { data: trained.data },
      );
      io.stdout(formatParity(result.report));
      io.stdout(`wrote ${result.folder} (TF.js graph model: ${result.files.length - 2} weight shard(s), ${batch} batch); parity report ${result.parityFile}\n`);
      return EXIT.ok;
    }
    const suffix = format === 'tensorrt' ? 'trt.onnx' : format === 'npu' ? 'npu.onnx' : 'onnx';
    const out = resolve(options.out ?? besideOnnx(join(trained.runFolder, 'export', `${trained.model.name}.onnx`), suffix));
    await mkdir(dirname(out), { recursive: true });
    const output: OnnxOutputMode = nms === 'trt' ? 'efficient-nms' : nms ? 'nms' : options.raw ? 'raw' : 'decoded';
    const result = await exportOnnx(
      trained.model,
      { out, opset: opset as OnnxOpset, dynamic: options.dynamic === true, output, imageSize: [imgsz, imgsz], nms: { ...DEFAULT_NMS, confThreshold: conf, iouThreshold: iou }, parityImages: images, provenance },
      { data: trained.data, sessions: new OrtSessionFactory({ executionProviders: ['cpu'] }) },
    );
    io.stdout(formatParity(result.report));
    io.stdout(`wrote ${result.file} (opset ${opset}, ${batch} batch); parity report ${result.parityFile}\n`);
    if (format === 'tensorrt') return await finishTensorRt(result.file, trained.data, { int8: options.int8 === true, version: options.trtVersion ?? '8.6.1', calibrationImages: calibImages }, io);
    if (format === 'npu') return await finishNpu(result.file, options.profile as string, io);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ParityError) {
      io.stdout(formatParity(error.report));
      io.stderr(`error: ${error.message}\n`);
      return EXIT.failed;
    }
    if (error instanceof ExportFlagError || error instanceof TrainedModelError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  } finally {
    trained?.dispose();
  }
}
