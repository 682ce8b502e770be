import { BatchLoader, type Augmentation, type DatasetSource, type ImageBatch, type StageContext } from '@yolo-distill/core';

/** The first `count` batches of a shuffled, augmented pass over the training split drawn from `rng`. */
export async function trainingBatches(data: DatasetSource, augmentations: readonly Augmentation[], batchSize: number, count: number, rng: StageContext['rng']): Promise<ImageBatch[]> {
  const loader = new BatchLoader(data, 'train', { batchSize, shuffle: true, rng, dropLast: true, augmentations });
  const batches: ImageBatch[] = [];
  for await (const batch of loader.epoch()) {
    batches.push(batch);
    if (batches.length >= count) break;
  }
  if (batches.length === 0) throw new Error(`the training split of ${data.name} has fewer images than one batch of ${batchSize}`);
  return batches;
}
