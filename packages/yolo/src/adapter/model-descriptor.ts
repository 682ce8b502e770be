import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { z } from 'zod';
import * as tf from '@tensorflow/tfjs-core';
import type { DependencyContainer } from 'tsyringe';
import { loadCheckpointFolder, LOGGER, parseWith, PIPELINE_DATA, PIPELINE_TEACHER, type CheckpointPayload, type DetectionModel, type PluginDescriptor } from '@yolo-distill/core';
import type { BoxPredictor } from '../anchors/predicted-boxes.js';
import { withAnchors } from '../anchors/with-anchors.js';
import { importOnnxWeights } from '../import/import-onnx-weights.js';
import type { YoloModel } from '../model/yolo-model.js';
import { checkpointAnchors, chooseAnchors, parseAnchorsOption, type AnchorsConfig } from './anchors-option.js';

export interface AdapterModelConfig {
  readonly scale: string;
  readonly classes?: number;
  /** An Ultralytics ONNX export (`.onnx`) or a checkpoint folder of an earlier run (`.../stage-end`). */
  readonly weights?: string;
  /** A custom model YAML (Ultralytics rows) instead of the version's official one. */
  readonly cfg?: string;
  readonly seed: number;
  /** Anchor-based heads only: refit the anchors to the training labels (`refit`) or set them per level. */
  readonly anchors?: AnchorsConfig;
}

export interface AdapterModelOptions {
  /** YAML type, e.g. `yolov5.Model`. */
  readonly type: string;
  readonly summary: string;
  readonly scales: readonly [string, ...string[]];
  readonly defaultScale: string;
  readonly build: (options: { scale: string; numClasses: number; seed: number; yaml?: { text: string; file: string } }) => YoloModel;
}

/**
 * The `<version>.Model` descriptor every adapter shares: a scale, the class count (default: the
 * pipeline's dataset), optional weights from an Ultralytics ONNX export or a checkpoint folder,
 * optionally a custom model YAML (`cfg`), and for anchor-based heads `anchors:` (`refit` to the
 * pipeline's training labels, or given per level). A checkpoint saved with other anchors than the
 * YAML's brings its own unless `anchors:` says otherwise.
 */
export function adapterModelDescriptor(options: AdapterModelOptions): PluginDescriptor<AdapterModelConfig, DetectionModel> {
  const schema = z.strictObject({
    scale: z.enum(options.scales).default(options.defaultScale as never),
    classes: z.int().positive().optional(),
    weights: z.string().min(1).optional(),
    cfg: z.string().min(1).optional(),
    seed: z.int().min(0).default(0),
    anchors: z.unknown().optional(),
  });
  return {
    type: options.type,
    kind: 'model',
    summary: options.summary,
    schema,
    parse: (raw, at) => {
      const { anchors, ...rest } = parseWith(schema, raw, at);
      return { ...rest, ...(anchors !== undefined ? { anchors: parseAnchorsOption(anchors, at.child('anchors')) } : {}) } as AdapterModelConfig;
    },
    create: async (config, { container }) => {
      const data = container.isRegistered(PIPELINE_DATA, true) ? container.resolve(PIPELINE_DATA) : undefined;
      const numClasses = config.classes ?? data?.classNames.length;
      if (numClasses === undefined) throw new Error(`'classes' is not set and the pipeline has no data to take the class count from`);
      if (data && config.classes !== undefined && config.classes !== data.classNames.length) {
        throw new Error(`'classes' is ${config.classes} but the dataset ${data.name} has ${data.classNames.length} classes`);
      }
      const yaml = config.cfg ? { text: await readModelYaml(config.cfg), file: config.cfg } : undefined;
      const weights = config.weights ? resolve(config.weights) : undefined;
      const checkpoint = weights && extname(weights).toLowerCase() !== '.onnx' ? await loadCheckpointFolder(weights) : undefined;
      const saved = checkpoint && weights ? checkpointAnchors(checkpoint.meta, weights) : undefined;
      let model = options.build({ scale: config.scale, numClasses, seed: config.seed, ...(yaml ? { yaml } : {}) });
      try {
        // A pruned model's checkpoint records its channel counts: build those before loading its weights.
        if (checkpoint) {
          const shaped = model.shapedFor(checkpoint);
          if (shaped !== model) {
            model.dispose();
            model = shaped;
          }
        }
        const refitFrom = config.anchors && 'refit' in config.anchors ? config.anchors.refit.from : 'labels';
        // Refitting to the model's own predictions needs its trained weights first; they move to the rebuilt model after.
        if (weights && refitFrom === 'student') await loadWeights(model, weights, checkpoint);
        const predictor = predictorFor(refitFrom, model, container);
        const anchors = await chooseAnchors({
          type: options.type,
          model,
          config: config.anchors,
          seed: config.seed,
          ...(saved && weights ? { checkpoint: { anchors: saved, path: weights } } : {}),
          ...(data ? { data } : {}),
          ...(container.isRegistered(LOGGER, true) ? { logger: container.resolve(LOGGER) } : {}),
          ...(predictor ? { predictor } : {}),
        });
        if (anchors) {
          // Anchors are no weights: the same spec with other anchors has the same parameters.
          const rebuilt = model.withSpec(withAnchors(model.spec, anchors));
          if (weights && refitFrom === 'student') {
            rebuilt.setWeights(model.getWeights());
            rebuilt.weightsSource = model.weightsSource;
          }
          model.dispose();
          model = rebuilt;
        }
        if (weights && refitFrom !== 'student') await loadWeights(model, weights, checkpoint);
      } catch (error) {
        model.dispose();
        throw error;
      }
      return model;
    },
  };
}

/** The model whose confident boxes `anchors: refit` clusters when `from` is not `labels`. */
function predictorFor(from: 'labels' | 'student' | 'teacher', model: YoloModel, container: DependencyContainer): BoxPredictor | undefined {
  if (from === 'student') return (images) => tf.tidy(() => model.decode(model.forward(images, { training: false })));
  if (from !== 'teacher' || !container.isRegistered(PIPELINE_TEACHER, true)) return undefined;
  const teacher = container.resolve(PIPELINE_TEACHER);
  const decode = teacher.decode;
  if (!decode) throw new Error(`'anchors: refit' from the teacher: the teacher ${teacher.name} cannot decode its predictions`);
  return async (images) => {
    const output = await teacher.forward(images, []);
    try {
      return decode(output);
    } finally {
      tf.dispose([...output.head, ...Object.values(output.features)]);
    }
  };
}

async function readModelYaml(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'model YAML not found' : (error as Error).message}`);
  }
}

async function loadWeights(model: YoloModel, path: string, checkpoint: CheckpointPayload | undefined): Promise<void> {
  if (checkpoint) {
    await model.loadState(checkpoint);
  } else {
    await importOnnxWeights(model, path);
  }
  model.weightsSource = path;
}
