import type { Rng } from '../services/rng.js';
import type { Sample } from './samples.js';
import type { FeatureMaps } from './tensors.js';

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

/** A feature-level augmentation (CutMix on maps): same change to student and teacher maps. */
export interface FeatureAugmentation {
  readonly name: string;
  apply(student: FeatureMaps, teacher: FeatureMaps, rng: Rng): { student: FeatureMaps; teacher: FeatureMaps };
}
