import * as tf from '@tensorflow/tfjs-core';
import {
  BatchLoader,
  type Augmentation,
  type CheckpointPayload,
  type DatasetSource,
  type DetectionModel,
  type ImageBatch,
  type Metric,
  type Scalar,
  type StageContext,
  type StepInfo,
  type StoredTensor,
  type Tensor,
} from '@yolo-distill/core';
import { createModelEma, createOptimizer, type OptimizerConfig } from '../optim/create-optimizer.js';
import { learningRateAt, type LrDecay } from '../optim/lr-schedule.js';
import type { WeightAverage } from '../optim/model-ema.js';
import type { Optimizer } from '../optim/optimizer.js';
import { startDataParallel, type ParallelSetup } from '../parallel/parallel-setup.js';
import type { WorkersOption } from '../parallel/workers-option.js';
import { evaluateDetector, studentPredictor } from './evaluate-detector.js';
import { trainingBatches } from './training-batches.js';
import { LossMonitor } from './loss-monitor.js';
import { Peekable } from './peekable.js';
import { withWeights } from './swap-weights.js';
import type { TrainingTask } from './training-task.js';
import { prefixed, unprefixed, weightsFromStored, storedWeights, type StoredWeights } from './stored-weights.js';

/** A training stage's settings, parsed and with defaults filled in. */
export interface TrainingSettings {
  readonly epochs: number;
  readonly batch: number;
  readonly stepsPerEpoch?: number | undefined;
  readonly optimizer: OptimizerConfig & { readonly lr: number };
  readonly schedule: { readonly decay: LrDecay; readonly finalFactor: number; readonly warmupEpochs: number };
  readonly clipNorm: number;
  readonly ema: false | { readonly decay: number; readonly tau: number };
  readonly validate: { readonly every: number; readonly maxImages?: number | undefined; readonly confThreshold: number; readonly iouThreshold: number; readonly maxDetections: number };
  readonly selectBy: 'fitness' | 'map' | 'map50';
  readonly keepBest: boolean;
  readonly logEvery: number;
  /** Stop when a component exceeds this many times the others (0: never). */
  readonly dominance: number;
  /** Weight of the L1 penalty on the student's BatchNorm gammas (0: none; see `BatchNormL1Task`). */
  readonly bnL1?: number | undefined;
  /** Threads that split each batch (`DataParallel`); 1 (the default): this loop alone. */
  readonly workers?: WorkersOption | undefined;
}

export interface TrainingParts {
  readonly augmentations: readonly Augmentation[];
  readonly metric: Metric;
}

/** What the stage leaves behind besides the student's weights. */
export interface TrainingSummary {
  readonly epochs: number;
  readonly steps: number;
  readonly best?: { readonly epoch: number; readonly value: number; readonly metrics: Record<string, number> } | undefined;
  readonly history: readonly EpochRecord[];
}

export interface EpochRecord {
  readonly epoch: number;
  readonly losses: Record<string, number>;
  readonly lr: number;
  readonly seconds: number;
  readonly metrics?: Record<string, number> | undefined;
}

interface LoopState {
  epoch: number;
  step: number;
  best: TrainingSummary['best'];
  bestWeights: StoredWeights | undefined;
  history: EpochRecord[];
}

const FORMAT = 'yolo-distill.trainer/1';

/**
 * The epoch loop every training stage shares: batches from the training split, one optimiser step per
 * batch (gradient clipping, LR warm-up and decay, EMA), loss terms logged and watched, validation every
 * N epochs with best-by-metric selection, and a checkpoint after every epoch to resume from.
 */
export class TrainingLoop {
  constructor(
    private readonly stageName: string,
    private readonly settings: TrainingSettings,
    private readonly parts: TrainingParts,
    private readonly task: TrainingTask,
    private readonly parallel?: ParallelSetup,
  ) {}

  async run(context: StageContext): Promise<TrainingSummary> {
    const data = context.models.data;
    const student = context.models.student;
    if (!data) throw new Error(`${this.stageName} needs the pipeline's dataset: add a 'data:' entry`);
    if (!student) throw new Error(`${this.stageName} needs a student: add a 'student:' entry (e.g. { type: yolov5.Model, scale: n })`);
    await data.prepare();
    const s = this.settings;
    const loader = new BatchLoader(data, 'train', { batchSize: s.batch, shuffle: true, rng: context.rng, dropLast: true, augmentations: this.parts.augmentations });
    const stepsPerEpoch = Math.min(loader.batchesPerEpoch, s.stepsPerEpoch ?? Number.POSITIVE_INFINITY);
    if (stepsPerEpoch < 1) throw new Error(`${this.stageName}: the training split has ${data.size('train')} images, fewer than one batch of ${s.batch}`);
    const totalSteps = s.epochs * stepsPerEpoch;
    const resume = context.checkpoints.resumeFrom;

    await this.task.initialize(context, await firstBatch(data, Math.min(s.batch, 8)), resume !== undefined);
    const calibrationBatches = this.task.calibrationBatches ?? 0;
    if (!resume && calibrationBatches > 0 && this.task.calibrate) {
      // Its own RNG stream, so that calibrating leaves the training batches as they would be without it.
      const batches = await trainingBatches(data, this.parts.augmentations, s.batch, calibrationBatches, context.rng.fork('calibration'));
      await this.task.calibrate(batches, context);
    }
    const variables = [...student.trainableVariables(), ...this.task.extraVariables()];
    const optimizer = createOptimizer(variables, s.optimizer);
    const ema = s.ema ? createModelEma(student.getWeights(), s.ema, s.optimizer.implementation) : undefined;
    const state: LoopState = { epoch: 0, step: 0, best: undefined, bestWeights: undefined, history: [] };
    let replicas: Awaited<ReturnType<typeof startDataParallel>>;
    try {
      if (resume) this.restore(resume, student, optimizer, ema, state);
      const workers = { option: s.workers ?? 1, batch: s.batch, stageName: this.stageName, context, student, task: this.task, variables, imageSize: data.imageSize };
      replicas = await startDataParallel(this.parallel, workers);
      const monitor = new LossMonitor(s.dominance);
      const schedule = { lr: s.optimizer.lr, finalFactor: s.schedule.finalFactor, decay: s.schedule.decay, totalSteps, warmupSteps: Math.round(s.schedule.warmupEpochs * stepsPerEpoch) };

      for (let epoch = state.epoch; epoch < s.epochs; epoch++) {
        const started = Date.now();
        context.events.emit({ type: 'epoch-start', stage: context.index, epoch, epochs: s.epochs });
        const sums: Record<string, number> = {};
        let count = 0;
        let lr = 0;
        const batches = new Peekable(loader.epoch());
        for await (const batch of batches) {
          if (count >= stepsPerEpoch) break;
          context.signal.throwIfAborted();
          lr = learningRateAt(state.step, schedule);
          const info: StepInfo = { epoch, epochs: s.epochs, step: state.step };
          // Peeking pulls the batch the loop would pull next anyway: the loader's draws stay the same.
          const next = this.task.lookahead && count + 1 < stepsPerEpoch ? await batches.peek() : undefined;
          const values = replicas
            ? await replicas.step(batch, info, optimizer, lr, s.clipNorm, () => {
                ema?.update(student.getWeights());
                this.task.afterStep?.();
              })
            : await this.step(batch, info, variables, optimizer, lr, student, ema, next);
          monitor.check(values.components, values.details, { stage: this.stageName, epoch, step: count });
          const logged = { total: values.total, ...values.components, ...values.details, gradNorm: values.gradNorm };
          for (const [name, value] of Object.entries(logged)) sums[name] = (sums[name] ?? 0) + value;
          if (count % s.logEvery === 0 || count === stepsPerEpoch - 1) {
            context.events.emit({ type: 'step', stage: context.index, epoch, step: count, steps: stepsPerEpoch, losses: logged, lr, instances: batch.targetCount, size: batch.shape[1] });
          }
          state.step += 1;
          count += 1;
        }
        const losses = Object.fromEntries(Object.entries(sums).map(([name, sum]) => [name, sum / Math.max(count, 1)]));
        context.events.emit({ type: 'epoch-end', stage: context.index, epoch, epochs: s.epochs, losses });
        const due = s.validate.every > 0 && ((epoch + 1) % s.validate.every === 0 || epoch === s.epochs - 1);
        const metrics = due ? await this.validate(context, data, student, ema, epoch) : undefined;
        state.history.push({ epoch, losses, lr, seconds: (Date.now() - started) / 1000, metrics });
        state.epoch = epoch + 1;
        if (metrics) await this.considerBest(context, student, ema, metrics, epoch, state);
        await this.save(context, student, optimizer, ema, state);
      }
      await this.finish(student, ema, state);
      return { epochs: s.epochs, steps: state.step, best: state.best, history: state.history };
    } finally {
      await replicas?.close();
      optimizer.dispose();
      ema?.dispose();
    }
  }

  private async step(
    batch: ImageBatch,
    info: StepInfo,
    variables: readonly tf.Variable[],
    optimizer: Optimizer,
    lr: number,
    student: DetectionModel,
    ema: WeightAverage | undefined,
    next: ImageBatch | undefined,
  ): Promise<{ total: number; components: Record<string, number>; details: Record<string, number>; gradNorm: number }> {
    const images = tf.tensor4d(batch.images, [...batch.shape]);
    const prepared = await this.task.prepare(images, batch, info);
    if (next) this.task.lookahead?.(next);
    const kept: { components: Record<string, Scalar>; details: Record<string, Scalar> } = { components: {}, details: {} };
    const disposables: Tensor[] = [images];
    try {
      const { value, grads } = tf.variableGrads(() => {
        const terms = prepared.compute();
        for (const [name, t] of Object.entries(terms.components)) kept.components[name] = tf.keep(t);
        for (const [name, t] of Object.entries(terms.details)) kept.details[name] = tf.keep(t);
        return terms.total;
      }, variables as tf.Variable[]);
      disposables.push(value, ...Object.values(grads), ...Object.values(kept.components), ...Object.values(kept.details));
      const gradNorm = optimizer.apply(variables.map((v) => grads[v.name]), lr, this.settings.clipNorm);
      ema?.update(student.getWeights());
      this.task.afterStep?.();
      const names = [...Object.keys(kept.components), ...Object.keys(kept.details)];
      const read = tf.tidy(() => tf.stack([value, ...Object.values(kept.components), ...Object.values(kept.details)]));
      const numbers = Array.from(await read.data());
      read.dispose();
      const nComponents = Object.keys(kept.components).length;
      return {
        total: numbers[0] as number,
        gradNorm,
        components: Object.fromEntries(names.slice(0, nComponents).map((n, i) => [n, numbers[1 + i] as number])),
        details: Object.fromEntries(names.slice(nComponents).map((n, i) => [n, numbers[1 + nComponents + i] as number])),
      };
    } finally {
      tf.dispose(disposables);
      prepared.release();
    }
  }

  private async validate(context: StageContext, data: DatasetSource, student: DetectionModel, ema: WeightAverage | undefined, epoch: number): Promise<Record<string, number>> {
    const v = this.settings.validate;
    const onProgress = (images: number, total: number) => context.events.emit({ type: 'val-progress', stage: context.index, epoch, images, total });
    const options = { batch: this.settings.batch, maxImages: v.maxImages, confThreshold: v.confThreshold, iouThreshold: v.iouThreshold, maxDetections: v.maxDetections, onProgress };
    const run = () => evaluateDetector(studentPredictor(student), data, this.parts.metric, options);
    const metrics = ema ? await withWeights(student, ema.weights(), run) : await run();
    for (const name of ['map50', 'map', 'precision', 'recall', 'fitness']) {
      const value = metrics[name];
      if (value !== undefined) context.events.emit({ type: 'metric', stage: context.index, name: `val.${name}`, value, epoch });
    }
    // Per class (`ap50.<cls>`, ...) on the stage's last validation only: the end-of-stage table, not a curve.
    if (epoch === this.settings.epochs - 1) {
      for (const [name, value] of Object.entries(metrics)) {
        if (/^(ap50|ap|precision|recall)\.\d+$/.test(name)) context.events.emit({ type: 'metric', stage: context.index, name: `val.${name}`, value, epoch });
      }
    }
    return metrics;
  }

  private async considerBest(context: StageContext, student: DetectionModel, ema: WeightAverage | undefined, metrics: Record<string, number>, epoch: number, state: LoopState): Promise<void> {
    const value = metrics[this.settings.selectBy] ?? 0;
    if (state.best && value <= state.best.value) return;
    state.best = { epoch, value, metrics };
    state.bestWeights = await storedWeights(ema ? ema.weights() : student.getWeights());
    // A keepsake, not a place to resume from: resume always reads `last` (which also carries these weights).
    const own = await student.saveState();
    const payload = { meta: { ...own.meta, epoch, selectBy: this.settings.selectBy, value }, tensors: { ...own.tensors, ...state.bestWeights } };
    await context.checkpoints.save('best', payload, { resumable: false });
  }

  private async save(context: StageContext, student: DetectionModel, optimizer: Optimizer, ema: WeightAverage | undefined, state: LoopState): Promise<void> {
    const own = await student.saveState();
    const tensors: Record<string, StoredTensor> = {
      ...prefixed('student.', own.tensors),
      ...prefixed('optim.', await optimizer.saveState()),
      ...(ema ? prefixed('ema.', await ema.saveState()) : {}),
      ...(state.bestWeights ? prefixed('best.', state.bestWeights) : {}),
      ...(this.task.saveState ? prefixed('task.', await this.task.saveState()) : {}),
    };
    const meta = { format: FORMAT, student: own.meta, epoch: state.epoch, step: state.step, best: state.best ?? null, history: state.history, optimizer: optimizer.kind };
    await context.checkpoints.save('last', { meta, tensors });
  }

  private restore(payload: CheckpointPayload, student: DetectionModel, optimizer: Optimizer, ema: WeightAverage | undefined, state: LoopState): void {
    const meta = payload.meta;
    if (meta['format'] !== FORMAT) throw new Error(`${this.stageName}: cannot resume from a checkpoint of format ${String(meta['format'])} (expected ${FORMAT})`);
    if (meta['optimizer'] !== optimizer.kind) throw new Error(`${this.stageName}: the checkpoint was written with optimizer ${String(meta['optimizer'])}, the stage now uses ${optimizer.kind}`);
    const studentTensors = unprefixed('student.', payload.tensors);
    tf.tidy(() => student.setWeights(weightsFromStored(studentTensors)));
    optimizer.loadState(unprefixed('optim.', payload.tensors));
    if (ema) ema.loadState(unprefixed('ema.', payload.tensors));
    this.task.loadState?.(unprefixed('task.', payload.tensors));
    const best = unprefixed('best.', payload.tensors);
    state.bestWeights = Object.keys(best).length > 0 ? best : undefined;
    state.epoch = Number(meta['epoch']);
    state.step = Number(meta['step']);
    state.best = (meta['best'] ?? undefined) as LoopState['best'];
    state.history = [...((meta['history'] as EpochRecord[] | undefined) ?? [])];
  }

  /** The student leaves with the best validated weights, else the EMA (if on), else the last weights. */
  private async finish(student: DetectionModel, ema: WeightAverage | undefined, state: LoopState): Promise<void> {
    if (this.settings.keepBest && state.bestWeights) {
      const weights = weightsFromStored(state.bestWeights);
      student.setWeights(weights);
      tf.dispose(Object.values(weights));
    } else if (ema) {
      student.setWeights(ema.weights());
    }
  }
}

async function firstBatch(data: DatasetSource, size: number): Promise<ImageBatch> {
  const split = data.size('val') > 0 ? 'val' : 'train';
  for await (const batch of new BatchLoader(data, split, { batchSize: size }).epoch()) return batch;
  throw new Error(`the dataset ${data.name} has no images`);
}
