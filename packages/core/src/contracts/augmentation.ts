import type { Rng } from '../services/rng.js';
import type { Sample } from './samples.js';
import type { Tensor4D } from './tensors.js';

/** What an image augmentation may use: the run's RNG and more samples (Mosaic, MixUp). */
export interface AugmentContext {
  readonly rng: Rng;
  drawSample(): Promise<Sample>;
}

/** An image-level augmentation; labels follow every geometric change. */
export interface Augmentation {
  readonly name: string;
  readonly probability: number;
  apply(sample: Sample, context: AugmentContext): Promise<Sample>;
}

/**
 * One step's mix of a feature map inside a forward pass: the map at tap `at` is replaced by
 * `apply(map)` and the rest of the network runs on it. The same mix goes to teacher and student.
 */
export interface FeatureMix {
  readonly at: string;
  apply(map: Tensor4D): Tensor4D;
}

/** A feature-level augmentation (CutMix on maps) that mixes inside the forward passes of teacher and student. */
export interface FeatureAugmentation {
  readonly name: string;
  /** The tap where it mixes. */
  readonly at: string;
  /** This step's mix for a batch of `batchSize`, or undefined when it does not fire this step. */
  draw(batchSize: number, rng: Rng): FeatureMix | undefined;
}
