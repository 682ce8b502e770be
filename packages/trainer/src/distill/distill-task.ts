import * as tf from '@tensorflow/tfjs-core';
import type {
  DetectionModel,
  DiagnosedTerm,
  DiagnoseReport,
  DistillLoss,
  FeatureAugmentation,
  FeatureMix,
  ImageBatch,
  Metric,
  ModelOutput,
  NativeLossOptions,
  PipelineModels,
  RngState,
  Scalar,
  StageContext,
  StepInfo,
  StoredTensor,
  Teacher,
  Tensor4D,
  TrainingTransform,
  Variable,
} from '@yolo-distill/core';
import type { GuardsConfig } from '../config/training-schema.js';
import type { EvaluateOptions } from '../loop/evaluate-detector.js';
import { ModelEma } from '../optim/model-ema.js';
import { assignStored, storeVariable } from '../optim/optimizer.js';
import { prefixed, unprefixed } from '../loop/stored-weights.js';
import { withWeights } from '../loop/swap-weights.js';
import { namespaced } from '../loop/supervised-task.js';
import type { PreparedStep, TrainingTask } from '../loop/training-task.js';
import { calibrateFactors, type Calibration } from './balance.js';
import { TeacherAhead, teacherAheadPlan } from './teacher-ahead.js';
import { checkTeacher, type TeacherReport } from './teacher-checks.js';
import { distillTermNames } from './term-names.js';
import { TermProbe, type BatchMeasurement } from './term-probe.js';

export interface DistillSettings {
  /** Weight of the student's own detection loss on the labels (0: pure feature alignment). */
  readonly nativeWeight: number;
  /** `pipeline`: the pipeline's teacher; `ema`: a moving average of the student itself (mean teacher). */
  readonly teacher: { readonly mode: 'pipeline' | 'ema'; readonly decay: number; readonly tau: number };
  readonly guards: GuardsConfig;
  readonly evaluate: EvaluateOptions;
  /** Training batches measured at the stage's start to set relative weights. */
  readonly balanceBatches: number;
  /** Label smoothing epsilon of the native loss's class targets (undefined: the model's own). */
  readonly labelSmoothing?: number | undefined;
  /** Share of the teacher's class probabilities in the native loss's class targets at assigned rows. */
  readonly teacherMix: number;
}

/** The frozen side of distillation: what runs before the gradient tape. */
interface TeacherSide {
  readonly label: string;
  forward(images: Tensor4D, taps: readonly string[], mix?: FeatureMix): Promise<ModelOutput>;
  readonly taps: readonly string[];
}

/**
 * Native loss on the labels plus every distillation loss. The teacher runs first, in inference mode and
 * outside the gradient tape; its outputs are detached again inside each loss. Feature augmentations
 * (CutMix on maps) change student and teacher maps alike before the losses see them.
 */
export class DistillTask implements TrainingTask {
  private readonly names: string[];
  private student: DetectionModel | undefined;
  private side: TeacherSide | undefined;
  private emaTeacher: ModelEma | undefined;
  private studentTaps: string[] = [];
  private teacherTaps: string[] = [];
  private rng: StageContext['rng'] | undefined;
  /** The teacher's forward for the next batch, when it runs off the JS thread (see `teacherAheadPlan`). */
  private ahead: TeacherAhead | undefined;
  lookahead: ((next: ImageBatch) => void) | undefined;
  /** Per loss: the calibrated factor of a relative weight (1 for fixed weights), saved with the run. */
  private factors: number[];
  report: TeacherReport | undefined;
  calibration: Calibration | undefined;

  constructor(
    private readonly settings: DistillSettings,
    readonly losses: readonly DistillLoss[],
    private readonly featureAugmentations: readonly FeatureAugmentation[],
    private readonly metric: Metric,
    /** Changes the student's forward in training steps (fake quantization); validation sees the plain model. */
    private readonly transform?: TrainingTransform,
  ) {
    this.names = distillTermNames(losses);
    this.factors = losses.map(() => 1);
  }

  /** Relative weights need measuring on real batches before the first step (not on resume: the factors are in the checkpoint). */
  get calibrationBatches(): number {
    return this.losses.some((loss) => loss.relativeWeight !== undefined) ? this.settings.balanceBatches : 0;
  }

  /** Sets every relative weight from the gradient norms measured on `batches` (see `calibrateFactors`). */
  async calibrate(batches: readonly ImageBatch[], context: StageContext): Promise<void> {
    const measured = await this.measureAll(batches, this.losses.map(() => 1), { epoch: 0, epochs: 1, step: 0, calibrating: true });
    this.calibration = calibrateFactors(this.names, this.losses, measured);
    this.factors = this.calibration.factors;
    for (const b of this.calibration.balances) {
      context.logger.info(`${b.term}: relative weight ${b.relative} -> factor ${b.factor.toPrecision(4)} (gradient norms: native ${b.nativeGradNorm.toPrecision(4)}, term ${b.termGradNorm.toPrecision(4)}, ${batches.length} batches)`);
    }
    await context.folder.writeJson(`distill-balance-${context.index}.json`, { batches: batches.length, terms: this.calibration.balances });
  }

  /** `diagnose`: calibrates as the stage would, then measures every term at the stage's first step. */
  async diagnose(models: PipelineModels, batches: readonly ImageBatch[], epochs: number): Promise<Omit<DiagnoseReport, 'stage'>> {
    this.connect(models);
    await this.createLossVariables(batches[0] as ImageBatch);
    if (this.calibrationBatches > 0) {
      const measured = await this.measureAll(batches, this.losses.map(() => 1), { epoch: 0, epochs, step: 0, calibrating: true });
      this.factors = calibrateFactors(this.names, this.losses, measured).factors;
    }
    const measured = await this.measureAll(batches, this.factors, { epoch: 0, epochs, step: 0 });
    const mean = (pick: (m: BatchMeasurement) => number) => measured.reduce((sum, m) => sum + pick(m), 0) / measured.length;
    const native = { value: mean((m) => m.native.value), gradNorm: mean((m) => m.native.gradNorm) };
    const terms: DiagnosedTerm[] = this.names.map((name, i) => {
      const gradNorm = mean((m) => m.terms[i]?.gradNorm ?? 0);
      const partNames = Object.keys(measured[0]?.terms[i]?.parts ?? {});
      return {
        name,
        value: mean((m) => m.terms[i]?.value ?? 0),
        factor: this.factors[i] ?? 1,
        gradNorm,
        ratio: native.gradNorm > 0 ? gradNorm / native.gradNorm : 0,
        cosine: mean((m) => m.terms[i]?.cosine ?? 0),
        parts: Object.fromEntries(partNames.map((part) => [part, mean((m) => m.terms[i]?.parts[part] ?? 0)])),
      };
    });
    return { batches: batches.length, native, terms };
  }

  private async measureAll(batches: readonly ImageBatch[], factors: readonly number[], step: StepInfo): Promise<BatchMeasurement[]> {
    const probe = new TermProbe({
      student: this.student as DetectionModel,
      losses: this.losses,
      nativeWeight: this.settings.nativeWeight,
      studentTaps: this.studentTaps,
      teacherOutputs: (images) => this.teacherOutputs(images),
      nativeOptions: (teacher) => this.nativeOptions(teacher),
    });
    const measured: BatchMeasurement[] = [];
    for (const batch of batches) measured.push(await probe.measure(batch, step, factors));
    return measured;
  }

  async initialize(context: StageContext, probe: ImageBatch, resumed: boolean): Promise<void> {
    // Its own stream: the batch loader draws from the stage RNG while a step runs, in an order set by I/O.
    this.rng = context.rng.fork('feature-augmentations');
    const { student, teacher } = this.connect(context.models);
    if (teacher && !resumed) this.report = await this.runChecks(context, teacher, student, probe);
    await this.createLossVariables(probe);
    const plan = teacherAheadPlan(this.settings.teacher.mode, teacher, this.featureAugmentations.length, (this.side as TeacherSide).label);
    context.logger.info(plan.message);
    this.ahead?.dispose();
    const ahead = plan.ahead ? new TeacherAhead((images) => this.teacherOutputs(images)) : undefined;
    this.ahead = ahead;
    this.lookahead = ahead ? (next) => ahead.start(next) : undefined;
  }

  /** `validate`'s dry run: taps exist, and every loss computes on a blank batch of the data's image size. */
  async preflight(models: PipelineModels): Promise<string> {
    const { student } = this.connect(models);
    const size = models.data?.imageSize ?? 64;
    const probe: ImageBatch = { images: new Float32Array(2 * size * size * 3), shape: [2, size, size, 3], targets: new Float32Array(0), targetCount: 0, sources: [] };
    await this.createLossVariables(probe);
    const side = this.side as TeacherSide;
    return `${this.losses.length} loss(es) computed on a blank ${size}x${size} batch: student ${student.name} taps [${this.studentTaps.join(', ')}], teacher ${side.label} taps [${this.teacherTaps.join(', ')}]`;
  }

  /** Finds student and teacher (or sets up the EMA teacher) and checks that every tap exists. */
  private connect(models: PipelineModels): { student: DetectionModel; teacher: Teacher | undefined } {
    const student = models.student;
    if (!student || !models.data) throw new Error("trainer.Distill needs the pipeline's data and a student");
    this.student = student;
    this.studentTaps = [...new Set(this.losses.flatMap((loss) => loss.taps.map((pair) => pair.student)))];
    this.teacherTaps = [...new Set(this.losses.flatMap((loss) => loss.taps.map((pair) => pair.teacher)))];
    checkTaps('student', student.name, this.studentTaps, student.taps);
    let teacher: Teacher | undefined;
    if (this.settings.teacher.mode === 'ema') {
      this.emaTeacher?.dispose();
      this.emaTeacher = new ModelEma(student.getWeights(), { decay: this.settings.teacher.decay, tau: this.settings.teacher.tau });
      const ema = this.emaTeacher;
      this.side = {
        label: `EMA of ${student.name}`,
        taps: student.taps,
        forward: (images, taps, mix) => withWeights(student, ema.weights(), async () => student.forward(images, { training: false, taps, ...(mix ? { mix } : {}) })),
      };
    } else {
      teacher = models.teacher;
      if (!teacher) {
        throw new Error("trainer.Distill needs a teacher: add 'teacher:' to the pipeline (a model with 'weights:', or onnx.Teacher), or set teacher.mode: ema");
      }
      if (this.featureAugmentations.length > 0 && teacher.mixesFeatures !== true) {
        throw new Error(`trainer.Distill: feature augmentations mix inside the teacher's forward pass, which the teacher ${teacher.name} cannot do (an ONNX graph runs whole); use a model teacher (e.g. yolov5.Model with weights:) or drop featureAugmentations`);
      }
      const frozen = teacher;
      this.side = { label: frozen.name, taps: frozen.taps, forward: (images, taps, mix) => frozen.forward(images, taps, mix ? { mix } : undefined) };
    }
    checkTaps('teacher', this.side.label, this.teacherTaps, this.side.taps);
    for (const augmentation of this.featureAugmentations) {
      checkTaps('student', student.name, [augmentation.at], student.taps);
      checkTaps('teacher', this.side.label, [augmentation.at], this.side.taps);
    }
    const studentHead = student.headDescription;
    if (studentHead) {
      const teacherHead = this.settings.teacher.mode === 'ema' ? studentHead : teacher?.headDescription;
      for (const loss of this.losses) loss.bind?.({ student: studentHead, ...(teacherHead ? { teacher: teacherHead } : {}) });
    }
    return { student, teacher };
  }

  private async runChecks(context: StageContext, teacher: Teacher, student: DetectionModel, probe: ImageBatch): Promise<TeacherReport> {
    const data = context.models.data;
    if (!data) throw new Error('trainer.Distill needs data');
    const report = await checkTeacher(context, teacher, student, data, this.metric, probe, this.settings.guards, this.settings.evaluate);
    await context.folder.writeJson(`distill-check-${context.index}.json`, report);
    return report;
  }

  /** One pass of every loss on the probe batch: creates lazy connectors and proves the tap shapes fit. */
  private async createLossVariables(probe: ImageBatch): Promise<void> {
    const images = tf.tensor4d(probe.images, [...probe.shape]);
    const teacher = await this.teacherOutputs(images);
    try {
      tf.tidy(() => {
        const student = (this.student as DetectionModel).forward(images, { training: false, taps: this.studentTaps, ...this.hook(undefined, false) });
        for (const loss of this.losses) loss.compute(student, teacher, probe, { epoch: 0, epochs: 1, step: 0 });
      });
    } finally {
      tf.dispose([images, ...teacher.head, ...Object.values(teacher.features)]);
    }
  }

  private teacherOutputs(images: Tensor4D, mix?: FeatureMix): Promise<ModelOutput> {
    if (!this.side) throw new Error('DistillTask used before initialize');
    return this.side.forward(images, this.teacherTaps, mix);
  }

  /** This step's feature mix: the first feature augmentation that fires (each draws from the task's own RNG stream). */
  private drawMix(batchSize: number): FeatureMix | undefined {
    for (const augmentation of this.featureAugmentations) {
      const mix = augmentation.draw(batchSize, this.rng as StageContext['rng']);
      if (mix) return mix;
    }
    return undefined;
  }

  extraVariables(): readonly Variable[] {
    return this.losses.flatMap((loss) => loss.trainableVariables?.() ?? []);
  }

  /**
   * With a feature mix this step, the teacher runs on the mixed pass; the student runs twice: a clean
   * pass for the native loss (the labels describe the unmixed images) and a mixed one for the
   * distillation terms.
   */
  async prepare(images: Tensor4D, batch: ImageBatch, step: StepInfo): Promise<PreparedStep> {
    const student = this.student as DetectionModel;
    const mix = this.drawMix(batch.shape[0]);
    const early = mix ? undefined : this.ahead?.take(batch);
    const teacher = await (early ?? this.teacherOutputs(images, mix));
    // teacherMix reads the teacher at the rows the labels are assigned to: the clean images.
    const clean = mix && this.settings.teacherMix > 0 ? await this.teacherOutputs(images) : teacher;
    return {
      compute: () => {
        const output = student.forward(images, { training: true, taps: mix ? [] : this.studentTaps, ...this.hook(step, true) });
        const native = student.loss(output, batch, this.nativeOptions(clean));
        const s: ModelOutput = mix ? student.forward(images, { training: true, taps: this.studentTaps, mix, ...this.hook(step, true) }) : output;
        const components: Record<string, Scalar> = {};
        if (this.settings.nativeWeight > 0) components['native'] = tf.mul(native.total, this.settings.nativeWeight);
        this.losses.forEach((loss, i) => {
          const value = loss.compute(s, teacher, batch, step);
          const factor = this.factors[i] ?? 1;
          components[this.names[i] as string] = factor === 1 ? value : (tf.mul(value, factor) as Scalar);
        });
        const parts = Object.values(components);
        const total = (parts.length === 1 ? parts[0] : tf.addN(parts)) as Scalar;
        return { total, components, details: namespaced('native', native.terms) };
      },
      release: () => tf.dispose([...new Set([...teacher.head, ...Object.values(teacher.features), ...clean.head, ...Object.values(clean.features)])]),
    };
  }

  private hook(step: StepInfo | undefined, training: boolean): { conv?: ReturnType<TrainingTransform['convHook']> } {
    return this.transform ? { conv: this.transform.convHook(step, training) } : {};
  }

  async finish(context: StageContext, stage: string): Promise<void> {
    await this.transform?.finish?.(context.folder, { index: context.index, name: stage });
  }

  /** Label smoothing and the teacher's share of the class targets, for the student's native loss. */
  private nativeOptions(teacher: ModelOutput): NativeLossOptions | undefined {
    const { labelSmoothing, teacherMix } = this.settings;
    if (labelSmoothing === undefined && teacherMix === 0) return undefined;
    return { ...(labelSmoothing === undefined ? {} : { labelSmoothing }), ...(teacherMix > 0 ? { teacher: { head: teacher.head, mix: teacherMix } } : {}) };
  }

  afterStep(): void {
    this.emaTeacher?.update((this.student as DetectionModel).getWeights());
  }

  async saveState(): Promise<Record<string, StoredTensor>> {
    const out: Record<string, StoredTensor> = {};
    for (const [i, v] of this.extraVariables().entries()) out[`loss.${i}`] = await storeVariable(v);
    if (this.emaTeacher) Object.assign(out, prefixed('emaTeacher.', await this.emaTeacher.saveState()));
    if (this.rng) out['rng'] = { shape: [4], dtype: 'int32', data: Int32Array.from(this.rng.state()) };
    out['balance'] = { shape: [this.factors.length], dtype: 'float32', data: Float32Array.from(this.factors) };
    if (this.transform?.saveState) Object.assign(out, prefixed('transform.', this.transform.saveState()));
    return out;
  }

  loadState(tensors: Readonly<Record<string, StoredTensor>>): void {
    const rngState = tensors['rng'];
    if (this.rng && rngState) this.rng.restore(Array.from(rngState.data, (x) => x >>> 0) as unknown as RngState);
    const balance = tensors['balance'];
    if (balance && balance.data.length === this.factors.length) this.factors = Array.from(balance.data);
    for (const [i, v] of this.extraVariables().entries()) {
      const stored = tensors[`loss.${i}`];
      if (!stored || stored.shape.join('x') !== v.shape.join('x')) {
        throw new Error(`trainer.Distill: the checkpoint's loss variable ${i} ${stored ? `is [${stored.shape.join(', ')}]` : 'is missing'}, the losses now hold [${v.shape.join(', ')}]`);
      }
      assignStored(v, stored);
    }
    this.emaTeacher?.loadState(unprefixed('emaTeacher.', tensors));
    this.transform?.loadState?.(unprefixed('transform.', tensors));
  }

  dispose(): void {
    this.emaTeacher?.dispose();
    this.ahead?.dispose();
  }
}

function checkTaps(who: string, name: string, wanted: readonly string[], known: readonly string[]): void {
  const missing = wanted.filter((tap) => !known.includes(tap));
  if (missing.length > 0) {
    throw new Error(`trainer.Distill: the ${who} ${name} has no tap ${missing.map((t) => `'${t}'`).join(', ')} (its taps: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', ...' : ''})`);
  }
}
