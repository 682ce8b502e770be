import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginRegistry } from '@yolo-distill/core';
import { readDataYaml, YoloDataset } from '@yolo-distill/data';
import { evaluateDetections, measure } from '@yolo-distill/eval';
import type { CliIO } from '../cli-io.js';
import { openDetector } from '../models/detector.js';
import { detectSplit } from '../models/split-detections.js';
import { weightsSize } from '../report/model-table.js';

/** One line of the demo's closing table. */
export interface DemoRow {
  readonly model: string;
  readonly map50?: number;
  readonly map?: number;
  readonly parameters?: number;
  readonly bytes?: number;
  /** Median milliseconds per image, batch 1, in the runtime the row names. */
  readonly latencyMs?: number;
  readonly runtime?: string;
  readonly path: string;
}

const QUIET: Pick<CliIO, 'stdout' | 'stderr'> = { stdout: () => undefined, stderr: () => undefined };

/**
 * Scores a checkpoint (its run's student in tfjs) or an ONNX file (onnxruntime) on the data's
 * validation split with eval's numbers (conf 0.001, IoU 0.6), and times it on one image.
 */
export async function scoreModel(label: string, path: string, dataRoot: string, registry: PluginRegistry, io: CliIO): Promise<DemoRow> {
  const classes = (await readDataYaml(dataRoot)).names.length;
  const detector = await openDetector(path, registry, { ...io, ...QUIET }, { classes });
  try {
    const data = await YoloDataset.open(dataRoot, { imageSize: detector.imageSize });
    await data.prepare();
    const { detections, truths } = await detectSplit(detector, data, 'val', { conf: 0.001, iou: 0.6 });
    const report = evaluateDetections(detections, truths, { numClasses: classes });
    const image = (await data.sample('val', 0)).image;
    const latency = await measure(() => detector.detect([image], { conf: 0.25, iou: 0.45 }), { warmup: 3, repeats: 15 });
    const size = await weightsSize(path);
    return { model: label, map50: report.map50, map: report.map, ...(size ? { parameters: size.parameters, bytes: size.bytes } : {}), latencyMs: latency.medianMs, runtime: detector.runtime, path };
  } finally {
    await detector.dispose();
  }
}

/** The teacher's row from the distillation stage's guard rails (it measured the teacher on the same split), with its size. */
export async function teacherRow(distillRun: string, weights: string): Promise<DemoRow> {
  const metrics = JSON.parse(readFileSync(join(distillRun, 'metrics.json'), 'utf8')) as { history: { stage: number; name: string; value: number }[] };
  const value = (name: string) => metrics.history.find((record) => record.stage === 0 && record.name === name)?.value;
  const size = await weightsSize(weights);
  const map50 = value('before.teacher.map50');
  const map = value('before.teacher.map');
  return { model: 'teacher YOLOv5s', ...(map50 !== undefined ? { map50 } : {}), ...(map !== undefined ? { map } : {}), ...(size ? { parameters: size.parameters, bytes: size.bytes } : {}), path: weights };
}

export function stageEnd(run: string, index: number, name: string): string | undefined {
  const folder = join(run, 'checkpoints', `${String(index).padStart(2, '0')}-${name}`, 'stage-end');
  return existsSync(join(folder, 'meta.json')) ? folder : undefined;
}
