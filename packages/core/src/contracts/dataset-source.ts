import type { InjectionToken } from 'tsyringe';
import type { Sample } from './samples.js';

export type Split = 'train' | 'val';

/** A dataset: class names and indexed samples per split. */
export interface DatasetSource {
  readonly name: string;
  readonly root: string;
  readonly classNames: readonly string[];
  readonly imageSize: number;
  /** Makes the data ready (decode index, generate synthetic data, ...); called once before use. */
  prepare(): Promise<void>;
  size(split: Split): number;
  sample(split: Split, index: number): Promise<Sample>;
}

/** The pipeline's dataset, registered in the run container before models are built (for class counts, image size). */
export const PIPELINE_DATA: InjectionToken<DatasetSource> = Symbol.for('yolo-distill.PipelineData');
