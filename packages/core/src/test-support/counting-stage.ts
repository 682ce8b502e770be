import type { Stage, StageContext } from '../contracts/stage.js';
import { FakeModel } from './fake-model.js';

export interface CountingStageOptions {
  readonly epochs: number;
  /** Throw at the start of this epoch (after the earlier epochs saved their checkpoints). */
  readonly failAt?: number;
  /** Called at the end of each epoch, after its checkpoint (e.g. to abort the run or read run.json). */
  readonly afterEpoch?: (epoch: number, context: StageContext) => void | Promise<void>;
}

/** How one epoch moves the student's number: deterministic given the stage's RNG. */
export function step(weight: number, rng: StageContext['rng']): number {
  // One normal per epoch: an odd count, so a resume point can fall between the two values of a polar pair.
  return weight * 0.9 + rng.normal() + rng.uniform(0, 1);
}

/**
 * A training-like stage without tensors: for `epochs` epochs it moves the student's `weight` with
 * the stage RNG, reports a metric and saves a checkpoint; it continues from `resumeFrom` when given one.
 */
export class CountingStage implements Stage {
  readonly name = 'test.Counting';
  /** Epochs this instance ran, in order. */
  readonly epochsRun: number[] = [];
  /** The epoch this instance resumed after, if it resumed. */
  resumedAfter: number | undefined;

  constructor(private readonly options: CountingStageOptions) {}

  async run(context: StageContext): Promise<void> {
    const student = context.models.student;
    if (!(student instanceof FakeModel)) throw new Error('CountingStage needs a FakeModel student');
    let start = 0;
    const resume = context.checkpoints.resumeFrom;
    if (resume) {
      const epoch = resume.meta['epoch'];
      const weight = resume.meta['weight'];
      if (typeof epoch !== 'number' || typeof weight !== 'number') throw new Error('CountingStage: bad checkpoint');
      this.resumedAfter = epoch;
      start = epoch + 1;
      student.weight = weight;
    }
    const epochs = this.options.epochs;
    for (let epoch = start; epoch < epochs; epoch++) {
      context.signal.throwIfAborted();
      if (epoch === this.options.failAt) throw new Error(`boom at epoch ${epoch}`);
      context.events.emit({ type: 'epoch-start', stage: context.index, epoch, epochs });
      student.weight = step(student.weight, context.rng);
      this.epochsRun.push(epoch);
      context.events.emit({ type: 'metric', stage: context.index, name: 'weight', value: student.weight, epoch });
      await context.checkpoints.save(`epoch-${epoch}`, {
        meta: { epoch, weight: student.weight },
        tensors: { weight: { shape: [1], dtype: 'float32', data: Float32Array.of(student.weight) } },
      });
      context.events.emit({ type: 'epoch-end', stage: context.index, epoch, epochs, losses: { weight: student.weight } });
      await this.options.afterEpoch?.(epoch, context);
    }
  }
}
