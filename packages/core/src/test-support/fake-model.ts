import type { DetectionModel, ForwardOptions, HeadKind } from '../contracts/detection-model.js';
import type { LossTerms, ModelOutput, NamedTensors, Tensor, Tensor4D, Variable } from '../contracts/tensors.js';
import type { CheckpointPayload } from '../services/checkpoint-store.js';

/**
 * A "detector" whose whole state is one number, `weight`. It is Checkpointable (the runner saves it
 * at stage ends and restores it on resume) and records forward calls; nothing needs TensorFlow.
 */
export class FakeModel implements DetectionModel {
  readonly headKind: HeadKind = 'anchor-free';
  readonly numClasses = 2;
  readonly strides = [8, 16, 32] as const;
  readonly taps = ['neck.0', 'neck.1', 'neck.2'] as const;
  weight = 0;
  disposed = false;
  readonly forwardCalls: { images: Tensor4D; options: ForwardOptions }[] = [];
  readonly loadedStates: CheckpointPayload[] = [];

  constructor(readonly name: string) {}

  async saveState(): Promise<CheckpointPayload> {
    return {
      meta: { weight: this.weight },
      tensors: { weight: { shape: [1], dtype: 'float32', data: Float32Array.of(this.weight) } },
    };
  }

  async loadState(payload: CheckpointPayload): Promise<void> {
    const weight = payload.meta['weight'];
    if (typeof weight !== 'number') throw new Error(`${this.name}: checkpoint has no numeric weight`);
    this.weight = weight;
    this.loadedStates.push(payload);
  }

  forward(images: Tensor4D, options: ForwardOptions): ModelOutput {
    this.forwardCalls.push({ images, options });
    return { head: [], features: {} };
  }

  loss(): LossTerms {
    throw new Error(`${this.name}: loss is not used in core tests`);
  }

  decode(): Tensor {
    throw new Error(`${this.name}: decode is not used in core tests`);
  }

  trainableVariables(): readonly Variable[] {
    return [];
  }

  getWeights(): NamedTensors {
    return {};
  }

  setWeights(): void {}

  dispose(): void {
    this.disposed = true;
  }
}
