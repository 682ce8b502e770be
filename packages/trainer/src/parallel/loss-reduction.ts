/**
 * How a loss value behaves when a batch is split: `sum` for batch-scaled terms (the YOLO native losses
 * return `(box + obj + cls) * batchSize`, as upstream does, so shard values add up to the batch's,
 * and DDP's Ultralytics sums them the same way), `mean` for batch means (a shard's value counts with
 * its share of the batch's images).
 */
export type Reduction = 'sum' | 'mean';

/** Which reduction each loss component of a task has; logged `details` are always means. */
export interface LossReduction {
  component(name: string): Reduction;
}

/** Train and Finetune: the student's native (batch-scaled) loss; any other component (the BatchNorm L1 penalty) is a mean. */
export const NATIVE_LOSS_REDUCTION: LossReduction = { component: (name) => (name === 'native' ? 'sum' : 'mean') };
