import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Detection, PluginRegistry } from '@yolo-distill/core';
import { letterbox, unletterboxBox } from '@yolo-distill/data';
import { EXIT, type CliIO } from '../cli-io.js';
import { openDetector, type Detector } from '../models/detector.js';
import { TrainedModelError } from '../models/trained-model.js';
import { drawDetections } from '../predict/draw-boxes.js';
import { ImageSourceError, imageSources } from '../predict/image-sources.js';
import { yoloTxtLines } from '../predict/yolo-txt.js';

/** The flags of `yolo-distill predict` (commander's option object: numbers arrive as strings). */
export interface PredictOptions {
  readonly conf?: string | number;
  readonly iou?: string | number;
  readonly imgsz?: string | number;
  readonly out?: string;
}

class PredictFlagError extends Error {}

function threshold(value: string | number | undefined, flag: string, fallback: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!(n >= 0 && n <= 1)) throw new PredictFlagError(`${flag} expects a number in [0, 1], got '${String(value)}'`);
  return n;
}

/** `2 circles, 1 square` (Ultralytics' per-image summary), or `(no detections)`. */
function countsText(detections: readonly Detection[], classNames: readonly string[]): string {
  if (detections.length === 0) return '(no detections)';
  const counts = new Map<number, number>();
  for (const d of detections) counts.set(d.cls, (counts.get(d.cls) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([cls, n]) => `${n} ${classNames[cls] ?? cls}${n > 1 ? 's' : ''}`)
    .join(', ');
}

/**
 * `yolo-distill predict <model> <image|folder|glob> [--conf 0.25] [--iou 0.7] [--imgsz N] [--out runs/predict]`:
 * a checkpoint or run folder (tfjs) or an ONNX export (onnxruntime) on images letterboxed to the model's
 * size, Ultralytics' NMS, boxes mapped back to each image; writes `<out>/<name>` with the boxes drawn
 * and `<out>/labels/<stem>.txt` (`cls cx cy w h conf`, normalised, as Ultralytics' save_txt + save_conf),
 * and prints per image the counts and the time.
 */
export async function predictCommand(model: string, source: string, options: PredictOptions, registry: PluginRegistry, io: CliIO): Promise<number> {
  let detector: Detector | undefined;
  try {
    const conf = threshold(options.conf, '--conf', 0.25);
    const iou = threshold(options.iou, '--iou', 0.7);
    const imgsz = options.imgsz === undefined ? undefined : Number(options.imgsz);
    if (imgsz !== undefined && !(Number.isInteger(imgsz) && imgsz > 0)) throw new PredictFlagError(`--imgsz expects a positive integer, got '${String(options.imgsz)}'`);
    const images = await imageSources(source);
    detector = await openDetector(model, registry, io, imgsz !== undefined ? { imageSize: imgsz } : {});
    const out = options.out ?? join('runs', 'predict');
    await mkdir(join(out, 'labels'), { recursive: true });
    io.stdout(`${detector.name} on ${detector.runtime}, ${detector.imageSize} px, conf ${conf}, iou ${iou}\n`);
    let total = 0;
    for (const [i, path] of images.entries()) {
      const start = performance.now();
      const { image, transform } = await letterbox(path, detector.imageSize);
      const found = (await detector.detect([image], { conf, iou }))[0] ?? [];
      const detections = found.map((d) => ({ ...d, box: unletterboxBox(d.box, transform) }));
      const ms = performance.now() - start;
      const stem = basename(path, extname(path));
      await writeFile(join(out, 'labels', `${stem}.txt`), yoloTxtLines(detections, transform.width, transform.height));
      await drawDetections(path, join(out, basename(path)), detections, detector.classNames);
      total += detections.length;
      io.stdout(`image ${i + 1}/${images.length} ${path}: ${transform.width}x${transform.height} ${countsText(detections, detector.classNames)}, ${ms.toFixed(1)}ms\n`);
    }
    io.stdout(`${total} detection(s) on ${images.length} image(s); results in ${out} (labels in ${join(out, 'labels')})\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof PredictFlagError || error instanceof ImageSourceError || error instanceof TrainedModelError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  } finally {
    await detector?.dispose();
  }
}
