import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { parseWith, type ConvHook, type PluginDescriptor, type RunFolder, type StepInfo, type StoredTensor, type TrainingTransform } from '@yolo-distill/core';
import { asymmetricParams, symmetricParams, type QuantParams, type TensorRange } from '../quant/quant-params.js';
import { fakeQuantizeChannels, fakeQuantizeTensor } from './fake-quantize.js';
import { LEARNED_RANGES_FILE, LEARNED_RANGES_FORMAT, type LearnedRanges } from './learned-ranges-file.js';
import { RangeObserver } from './range-observer.js';

const schema = z.strictObject({
  freezeAfter: z.int().min(1).default(2).describe('observers update during the first N epochs, then the ranges stay fixed while training adapts to them'),
  averaging: z.number().gt(0).max(1).default(0.01).describe("moving-average constant of the observers (PyTorch's 0.01)"),
  symmetric: z.boolean().default(false).describe("symmetric int8 activations (TensorRT) instead of asymmetric uint8 (onnxruntime's default)"),
});

export type FakeQuantConfig = z.output<typeof schema>;

const OBSERVER_PREFIX = 'observer.';

/**
 * Quantization-aware training as the stage's student transform: each conv's input is fake-quantized
 * per tensor with a moving-average min/max observer (frozen after `freezeAfter` epochs), its kernel
 * per output channel (min-max, symmetric int8), both with straight-through gradients. Quantizing the
 * raw kernel per channel gives the folded kernel's grid too: BN folding multiplies each output channel
 * by one factor, which the channel's own max-abs scale absorbs. At the stage's end the ranges go to the
 * run folder, where `quantize.Int8 { ranges: fake-quant }` puts them into the QDQ model.
 */
export class FakeQuant implements TrainingTransform {
  readonly name = 'quantize.FakeQuant';
  private readonly observers = new Map<string, RangeObserver>();
  private lastEpoch = -1;

  constructor(private readonly config: FakeQuantConfig) {}

  convHook(step: StepInfo | undefined, training: boolean): ConvHook {
    if (step) this.lastEpoch = Math.max(this.lastEpoch, step.epoch);
    const update = training && step !== undefined && step.epoch < this.config.freezeAfter;
    return {
      input: (kernel, x) => {
        if (update) this.observe(kernel, x);
        const range = this.observers.get(kernel)?.range;
        return range ? fakeQuantizeTensor(x, this.params(range)) : x;
      },
      weights: (_kernel, w) => fakeQuantizeChannels(w),
    };
  }

  /** The learned range of each conv input, by kernel name. */
  ranges(): Record<string, TensorRange> {
    const out: Record<string, TensorRange> = {};
    for (const [name, observer] of this.observers) if (observer.range) out[name] = observer.range;
    return out;
  }

  async finish(folder: RunFolder, stage: { readonly index: number; readonly name: string }): Promise<void> {
    const file: LearnedRanges = { format: LEARNED_RANGES_FORMAT, stage: `${stage.index}-${stage.name}`, frozen: this.lastEpoch >= this.config.freezeAfter, ranges: this.ranges() };
    await folder.writeJson(LEARNED_RANGES_FILE, file);
  }

  saveState(): Record<string, StoredTensor> {
    const out: Record<string, StoredTensor> = {};
    for (const [name, range] of Object.entries(this.ranges())) out[`${OBSERVER_PREFIX}${name}`] = { shape: [2], dtype: 'float32', data: Float32Array.of(range.min, range.max) };
    return out;
  }

  loadState(tensors: Readonly<Record<string, StoredTensor>>): void {
    for (const [key, stored] of Object.entries(tensors)) {
      if (!key.startsWith(OBSERVER_PREFIX)) continue;
      const observer = this.observerOf(key.slice(OBSERVER_PREFIX.length));
      observer.restore({ min: stored.data[0] as number, max: stored.data[1] as number });
    }
  }

  private params(range: TensorRange): QuantParams {
    return this.config.symmetric ? symmetricParams(Math.max(Math.abs(range.min), Math.abs(range.max))) : asymmetricParams(range);
  }

  private observe(kernel: string, x: tf.Tensor4D): void {
    const [min, max] = tf.tidy(() => tf.stack([tf.min(x), tf.max(x)]).dataSync());
    this.observerOf(kernel).observe({ min: min as number, max: max as number });
  }

  private observerOf(kernel: string): RangeObserver {
    let observer = this.observers.get(kernel);
    if (!observer) {
      observer = new RangeObserver(this.config.averaging);
      this.observers.set(kernel, observer);
    }
    return observer;
  }
}

export const fakeQuant: PluginDescriptor<FakeQuantConfig, TrainingTransform> = {
  type: 'quantize.FakeQuant',
  kind: 'transform',
  summary: "quantization-aware training inside a stage: fake-quantized conv inputs (moving-average observers, frozen after N epochs) and per-channel int8 kernels, straight-through gradients; the learned ranges feed quantize.Int8 { ranges: fake-quant }",
  schema,
  parse: (raw, at) => parseWith(schema, raw ?? {}, at),
  create: (config) => new FakeQuant(config),
};
