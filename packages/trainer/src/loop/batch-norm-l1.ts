import * as tf from '@tensorflow/tfjs-core';
import type { DetectionModel, ImageBatch, Scalar, StageContext, StepInfo, Tensor4D, Variable } from '@yolo-distill/core';
import type { PreparedStep, TrainingTask } from './training-task.js';

/** The loss component the penalty is logged as. */
export const BN_L1_COMPONENT = 'bnL1';

/**
 * Network slimming's sparsity term (Liu et al. 2017): `weight * sum |gamma|` over every BatchNorm of
 * the student, added to the stage's loss as the component `bnL1`, whose gradient adds
 * `weight * sign(gamma)` to each gamma's. Channels the data does not need drift to gamma 0, and
 * `prune.Channels` with `importance: bn-gamma` then removes them at little cost. The gammas are found
 * through the student's graph (each conv's BatchNorm), so a student pruned by an earlier stage is covered.
 */
export class BatchNormL1Task implements TrainingTask {
  private gammas: readonly Variable[] = [];
  readonly calibrate?: TrainingTask['calibrate'];
  readonly preflight?: TrainingTask['preflight'];
  readonly afterStep?: TrainingTask['afterStep'];
  readonly diagnose?: TrainingTask['diagnose'];
  readonly finish?: TrainingTask['finish'];
  readonly saveState?: TrainingTask['saveState'];
  readonly loadState?: TrainingTask['loadState'];

  constructor(
    private readonly inner: TrainingTask,
    private readonly weight: number,
  ) {
    this.calibrate = inner.calibrate?.bind(inner);
    this.preflight = inner.preflight && (async (models) => `${await inner.preflight?.(models)}, BatchNorm L1 ${weight}`);
    this.afterStep = inner.afterStep?.bind(inner);
    this.diagnose = inner.diagnose?.bind(inner);
    this.finish = inner.finish?.bind(inner);
    this.saveState = inner.saveState?.bind(inner);
    this.loadState = inner.loadState?.bind(inner);
  }

  get calibrationBatches(): number | undefined {
    return this.inner.calibrationBatches;
  }

  get lookahead(): TrainingTask['lookahead'] {
    return this.inner.lookahead;
  }

  async initialize(context: StageContext, probe: ImageBatch, resumed: boolean): Promise<void> {
    await this.inner.initialize(context, probe, resumed);
    const student = context.models.student;
    if (!student) throw new Error('bnL1 needs a student');
    this.gammas = batchNormGammas(student);
  }

  extraVariables(): readonly Variable[] {
    return this.inner.extraVariables();
  }

  async prepare(images: Tensor4D, batch: ImageBatch, step: StepInfo): Promise<PreparedStep> {
    const prepared = await this.inner.prepare(images, batch, step);
    return {
      compute: () => {
        const terms = prepared.compute();
        const penalty = tf.mul(tf.addN(this.gammas.map((g) => tf.sum(tf.abs(g)))), this.weight) as Scalar;
        return { total: tf.add(terms.total, penalty) as Scalar, components: { ...terms.components, [BN_L1_COMPONENT]: penalty }, details: terms.details };
      },
      release: () => prepared.release(),
    };
  }

  dispose(): void {
    this.inner.dispose();
  }
}

/** The live gamma variable of every BatchNorm in the student's graph (its convs' `batchNorm.gamma`). */
export function batchNormGammas(student: DetectionModel): Variable[] {
  if (!student.graph) throw new Error(`bnL1: the student ${student.name} does not describe its layers (no graph()), so its BatchNorms cannot be found`);
  const weights = student.getWeights();
  const trainable = new Set(student.trainableVariables());
  const gammas: Variable[] = [];
  for (const op of student.graph().ops) {
    if (op.op !== 'conv' || !op.batchNorm) continue;
    const gamma = weights[op.batchNorm.gamma];
    if (gamma && trainable.has(gamma as Variable)) gammas.push(gamma as Variable);
  }
  if (gammas.length === 0) throw new Error(`bnL1: the student ${student.name} has no trainable BatchNorm gamma`);
  return gammas;
}
