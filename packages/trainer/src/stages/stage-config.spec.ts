import { ConfigError, ConfigLocation, parseYamlText, PluginRegistry, type Plugin } from '@yolo-distill/core';
import { trainerPlugin } from '../plugin.js';
import { distillStage } from './distill-stage.js';
import { finetuneStage, trainStage } from './train-stages.js';

// A stand-in for the losses and eval packages (the trainer may not import them): only their kinds matter here.
const neighbours: Plugin = {
  meta: { name: 'neighbours', version: '0' },
  descriptors: [
    { type: 'losses.FeatureL2', kind: 'loss', summary: '', parse: (raw) => raw, create: () => ({}) },
    { type: 'eval.CocoMap', kind: 'metric', summary: '', parse: (raw) => raw, create: () => ({}) },
  ],
};

function parse(yaml: string) {
  const registry = new PluginRegistry([trainerPlugin, neighbours]);
  const loaded = parseYamlText(yaml, 'p.yaml', { env: {} });
  return registry.parse('stage', loaded.value, new ConfigLocation(loaded.source, [], registry));
}

function problems(yaml: string): string {
  try {
    parse(yaml);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('training stage configs', () => {
  it('fills the defaults of each stage and scales epochs', () => {
    const train = parse('type: trainer.Train\nepochs: 20\nepochScale: 0.25\n').config as Record<string, unknown>;
    expect(train).toMatchObject({ epochs: 20, epochScale: 0.25, batch: 16, clipNorm: 10, optimizer: { type: 'adam', lr: 1e-3, weightDecay: 5e-4 }, schedule: { warmupEpochs: 1 } });
    expect((train['metric'] as { type: string }).type).toBe('eval.CocoMap');
    const finetune = parse('type: trainer.Finetune\n').config as Record<string, unknown>;
    expect(finetune).toMatchObject({ optimizer: { lr: 3e-5 }, schedule: { warmupEpochs: 0 } });
    expect([trainStage.type, finetuneStage.type, distillStage.type]).toEqual(['trainer.Train', 'trainer.Finetune', 'trainer.Distill']);
  });

  it('takes the optimizer implementation (flat by default, tensor as the A/B baseline)', () => {
    expect((parse('type: trainer.Train\n').config as { optimizer: Record<string, unknown> }).optimizer['implementation']).toBeUndefined();
    expect(parse('type: trainer.Train\noptimizer: { implementation: tensor }\n').config).toMatchObject({ optimizer: { type: 'adam', implementation: 'tensor' } });
    expect(problems('type: trainer.Train\noptimizer: { implementation: gpu }\n')).toMatch(/optimizer\.implementation: expected one of "flat", "tensor"/);
  });

  it('parses the losses of Distill as loss plugins with their own locations, and its guards', () => {
    const config = parse('type: trainer.Distill\nlosses:\n  - { type: losses.FeatureL2, student: neck.0 }\n').config as Record<string, unknown>;
    const [loss] = config['losses'] as { type: string; at: ConfigLocation }[];
    expect(loss?.type).toBe('losses.FeatureL2');
    expect(loss?.at.path).toEqual(['losses', 0]);
    expect(config['guards']).toEqual({ untrainedTeacher: 'error', weakTeacher: 'error', teacherInTrainingMode: 'error', compareTeacher: true, dominance: 100 });
  });

  it('reports bad keys at their line with the allowed values', () => {
    expect(problems('type: trainer.Distill\nlosses: []\n')).toMatch(/p\.yaml:2:9: losses: .*at least 1/i);
    expect(problems('type: trainer.Train\noptimizer: { type: rmsprop }\n')).toMatch(/p\.yaml:2:20: optimizer\.type: expected one of "sgd", "adam", "adamw", found string "rmsprop"/);
    expect(problems('type: trainer.Train\nepoch: 3\n')).toMatch(/p\.yaml:2:1: epoch: unknown key 'epoch' \(did you mean 'epochs'\?\)/);
    expect(problems('type: trainer.Distill\nlosses:\n  - { type: losses.Feature }\n')).toMatch(/p\.yaml:3:\d+: losses\[0\]\.type: unknown loss type 'losses\.Feature'\. Did you mean 'losses\.FeatureL2'\?/);
  });

  it('takes workers: 1 by default, a count or auto, and refuses a bad count at its line', () => {
    expect(parse('type: trainer.Train\n').config).toMatchObject({ workers: 1 });
    expect(parse('type: trainer.Finetune\nworkers: auto\n').config).toMatchObject({ workers: 'auto' });
    expect(parse('type: trainer.Distill\nworkers: 2\nlosses:\n  - { type: losses.FeatureL2, student: neck.0 }\n').config).toMatchObject({ workers: 2 });
    expect(problems('type: trainer.Train\nbatch: 4\nworkers: 5\n')).toMatch(/p\.yaml:3:10: workers: expected at most batch \(4\) workers, each needs at least one image of the batch; found 5/);
    expect(problems('type: trainer.Train\nworkers: 0\n')).toMatch(/p\.yaml:2:10: workers: expected a number >= 1, found number 0/);
    expect(problems('type: trainer.Train\nworkers: two\n')).toMatch(/p\.yaml:2:10: workers: expected auto or a whole number of workers from 1 to 64, found string "two"/);
  });
});
