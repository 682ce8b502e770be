import type { PluginRegistry } from '@yolo-distill/core';
import { evaluateDetections, precisionRecall, type ApPerClassResult, type DetectionEvaluation } from '@yolo-distill/eval';
import type { CliIO } from '../cli-io.js';
import { trainedDetector, type Detector } from '../models/detector.js';
import { detectSplit } from '../models/split-detections.js';
import { openTrainedModel, TrainedModelError } from '../models/trained-model.js';
import { drawSample, type SampleImage } from './sample-images.js';

/** The run's final student scored on the validation split of its own data, with the curves behind the figures. */
export interface StudentEvaluation {
  readonly model: string;
  readonly checkpoint: string;
  readonly imageSize: number;
  readonly images: number;
  readonly classNames: readonly string[];
  readonly summary: DetectionEvaluation;
  readonly curves: ApPerClassResult;
  readonly samples: readonly SampleImage[];
}

/** Why there is no evaluation (a run without a checkpoint, data without a validation split). */
export interface SkippedEvaluation {
  readonly skipped: string;
}

/** Ultralytics' validation thresholds, as `yolo-distill eval` uses them. */
const VAL_CONF = 0.001;
const VAL_IOU = 0.6;

/**
 * Rebuilds the student of the run folder with the checkpoint `checkpoints/latest.json` names (the last
 * stage's) from the run's `config.resolved.yaml`, as `eval` and `export` do, runs it on every image of
 * its data's validation split and scores it (COCO mAP, Ultralytics' curves and confusion matrix);
 * the first `samples` images are drawn with their true and predicted boxes.
 */
export async function evaluateRunStudent(folder: string, registry: PluginRegistry, io: CliIO, options: { readonly samples: number }): Promise<StudentEvaluation | SkippedEvaluation> {
  let detector: Detector | undefined;
  try {
    let trained;
    try {
      trained = await openTrainedModel(folder, registry, io);
    } catch (error) {
      // No checkpoint, or a config or data that no longer builds: the rest of the report still stands.
      return { skipped: error instanceof TrainedModelError ? error.message : `the run's student could not be rebuilt: ${(error as Error).message}` };
    }
    detector = trainedDetector(trained, folder);
    const data = trained.data;
    try {
      await data.prepare();
    } catch (error) {
      return { skipped: `the run's data (${data.name}, ${data.root}) cannot be read: ${(error as Error).message}` };
    }
    const images = data.size('val');
    if (images === 0) return { skipped: `the run's data (${data.name}, ${data.root}) has no validation images` };
    const found = await detectSplit(detector, data, 'val', { conf: VAL_CONF, iou: VAL_IOU });
    const numClasses = data.classNames.length;
    const summary = evaluateDetections(found.detections, found.truths, { numClasses });
    const curves = precisionRecall(found.detections, found.truths);
    const samples: SampleImage[] = [];
    for (let i = 0; i < Math.min(options.samples, images); i++) {
      const sample = await data.sample('val', i);
      samples.push(await drawSample(sample.image, sample.source, found.truths[i] ?? [], found.detections[i] ?? [], data.classNames));
    }
    return { model: trained.model.name, checkpoint: trained.checkpoint, imageSize: detector.imageSize, images, classNames: data.classNames, summary, curves, samples };
  } finally {
    await detector?.dispose();
  }
}
