import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { PluginRegistry } from '@yolo-distill/core';
import { DEFAULT_NMS, exportOnnx, formatParity, ONNX_OPSETS, ParityError, type OnnxOpset } from '@yolo-distill/export';
import { OrtSessionFactory } from '@yolo-distill/backend';
import { EXIT, type CliIO } from '../cli-io.js';
import { openTrainedModel, TrainedModelError } from '../models/trained-model.js';

/** The flags of `yolo-distill export` (commander's option object: numbers arrive as strings). */
export interface ExportOptions {
  readonly format?: string;
  readonly out?: string;
  readonly opset?: string | number;
  readonly dynamic?: boolean;
  readonly raw?: boolean;
  readonly nms?: boolean;
  readonly conf?: string | number;
  readonly iou?: string | number;
  readonly imgsz?: string | number;
  readonly images?: string | number;
}

class ExportFlagError extends Error {}

const FORMATS = ['onnx'] as const;

function numberFlag(value: string | number | undefined, flag: string, fallback: number, check: (n: number) => boolean, expected: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!check(n)) throw new ExportFlagError(`${flag} expects ${expected}, got '${String(value)}'`);
  return n;
}

/**
 * `yolo-distill export <checkpoint-folder | run folder> --format onnx [--out FILE] [--opset 13|17]
 * [--dynamic] [--raw] [--nms [--conf --iou]] [--imgsz N] [--images N]`: rebuilds the run's student with
 * the checkpoint's weights, writes it (default `<run>/export/<model>.onnx`) and checks it in
 * onnxruntime against the tfjs model on the run's data; prints and saves the figures. Exit 0 written,
 * 1 the parity check failed (nothing written), 2 bad input.
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
    if (options.raw && options.nms) throw new ExportFlagError('--raw and --nms exclude each other (NMS needs the decoded head)');
    trained = await openTrainedModel(path, registry, io);
    const imgsz = numberFlag(options.imgsz, '--imgsz', trained.data.imageSize, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
    const out = resolve(options.out ?? join(trained.runFolder, 'export', `${trained.model.name}.onnx`));
    await mkdir(dirname(out), { recursive: true });
    io.stdout(`${trained.model.name} from ${trained.checkpoint} (${trained.backend} backend)\n`);
    const result = await exportOnnx(
      trained.model,
      {
        out,
        opset: opset as OnnxOpset,
        dynamic: options.dynamic === true,
        output: options.nms ? 'nms' : options.raw ? 'raw' : 'decoded',
        imageSize: [imgsz, imgsz],
        nms: { ...DEFAULT_NMS, confThreshold: conf, iouThreshold: iou },
        parityImages: images,
        provenance: { pipeline: trained.pipelineName, checkpoint: trained.checkpoint, checkpointSha256: trained.checkpointSha256 },
      },
      { data: trained.data, sessions: new OrtSessionFactory({ executionProviders: ['cpu'] }) },
    );
    io.stdout(formatParity(result.report));
    io.stdout(`wrote ${result.file} (opset ${opset}, ${options.dynamic ? 'dynamic' : 'static'} batch); parity report ${result.parityFile}\n`);
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
