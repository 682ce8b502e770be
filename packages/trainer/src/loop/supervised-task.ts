import type { DetectionModel, ImageBatch, StageContext, Tensor4D, Variable } from '@yolo-distill/core';
import type { PreparedStep, TrainingTask } from './training-task.js';

/** Labels only: the student's own detection loss (Train, Finetune). */
export class SupervisedTask implements TrainingTask {
  private student: DetectionModel | undefined;

  async initialize(context: StageContext): Promise<void> {
    this.student = context.models.student;
  }

  extraVariables(): readonly Variable[] {
    return [];
  }

  async prepare(images: Tensor4D, batch: ImageBatch): Promise<PreparedStep> {
    const student = this.student;
    if (!student) throw new Error('SupervisedTask.prepare before initialize');
    return {
      compute: () => {
        const native = student.loss(student.forward(images, { training: true }), batch);
        return { total: native.total, components: { native: native.total }, details: namespaced('native', native.terms) };
      },
      release: () => {},
    };
  }

  dispose(): void {}
}

export function namespaced<T>(prefix: string, terms: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(terms).map(([name, value]) => [`${prefix}.${name}`, value]));
}
