import { z } from 'zod';
import { parseWith, type Plugin, type PluginDescriptor, type Stage, type StageContext } from '@yolo-distill/core';

const schema = z.strictObject({
  epochs: z.int().positive(),
  lr: z.number().positive().default(0.1),
  failAtEpoch: z.int().min(0).optional(),
  /** Milliseconds each epoch takes (kill tests need time to strike). */
  sleepMs: z.int().min(0).default(0),
});
type CountingConfig = z.output<typeof schema>;

/** A stage for CLI tests: a random walk per epoch with checkpoints, resumable, optionally failing once. */
class CountingStage implements Stage {
  readonly name = 'counting';
  static failures = 0;
  constructor(private readonly config: CountingConfig) {}

  async run(context: StageContext): Promise<void> {
    const resume = context.checkpoints.resumeFrom?.meta as { epoch: number; value: number } | undefined;
    let value = resume?.value ?? 0;
    for (let epoch = resume ? resume.epoch + 1 : 0; epoch < this.config.epochs; epoch++) {
      context.signal.throwIfAborted();
      if (epoch === this.config.failAtEpoch && CountingStage.failures === 0) {
        CountingStage.failures += 1;
        throw new Error(`planned failure at epoch ${epoch}`);
      }
      if (this.config.sleepMs > 0) await new Promise((resolve) => setTimeout(resolve, this.config.sleepMs));
      value += this.config.lr * context.rng.normal();
      context.events.emit({ type: 'epoch-end', stage: context.index, epoch, epochs: this.config.epochs, losses: { value } });
      context.events.emit({ type: 'metric', stage: context.index, name: 'value', value, epoch });
      await context.checkpoints.save('last', { meta: { epoch, value }, tensors: {} });
    }
  }
}

export const countingStage: PluginDescriptor<CountingConfig, Stage> = {
  type: 'test.Counting',
  kind: 'stage',
  summary: 'a random walk with checkpoints (tests only)',
  parse: (raw, at) => parseWith(schema, raw, at),
  create: (config) => new CountingStage(config),
};

export const resetCountingFailures = (): void => {
  CountingStage.failures = 0;
};

export const testPlugin: Plugin = { meta: { name: 'cli-test', version: '0.0.0' }, descriptors: [countingStage] };
