import { ConfigLocation } from '../config/config-location.js';
import { InlineConfigSource } from '../config/config-source.js';
import type { Stage } from '../contracts/stage.js';
import { PluginRef, type PluginDescriptor, type PluginKind } from '../plugins/plugin.js';
import { testRegistry } from '../test-support/test-plugins.js';
import { parsePipeline } from './pipeline-loader.js';
import type { PipelineSpec } from './pipeline-spec.js';
import { summarizePipeline } from './pipeline-summary.js';

const PIPELINE = `
seed: 1
data: { type: test.Shapes, root: datasets/shapes }
teacher: { type: test.Model, scale: l }
student: { type: test.Model, scale: s }
stages:
  - type: test.Train
    name: feature-align
    epochs: 20
    lr: 1.0e-4
    losses:
      p3: { type: test.FeatureL2, student: neck.0, teacher: neck.1, weight: 0.3 }
      head: { type: test.HeadKL, temperature: 3, objectness: { focal: { gamma: 2, alpha: 0.25 } } }
  - { type: test.Train, epochs: 5, lr: 3.0e-5, mode: slow }
  - { type: test.ExportOnnx, opset: 17 }
`;

describe('summarizePipeline', () => {
  it('outlines slots, stages, settings and nested losses with their taps', () => {
    const spec = parsePipeline(PIPELINE, 'configs/quick.yaml', testRegistry());
    expect(summarizePipeline(spec).split('\n')).toEqual([
      'pipeline quick (configs/quick.yaml): seed 1, backend auto, runs in runs/',
      '  data           test.Shapes            root=datasets/shapes imgsz=160',
      '  teacher        test.Model             scale=l',
      '  student        test.Model             scale=s',
      '  stages (3)',
      '    1. feature-align test.Train             epochs=20 lr=0.0001 mode=fast',
      '        losses.p3      test.FeatureL2         student=neck.0 teacher=neck.1 weight=0.3',
      '        losses.head    test.HeadKL            temperature=3 objectness.focal.gamma=2 objectness.focal.alpha=0.25',
      '    2. 1-train     test.Train             epochs=5 lr=0.00003 mode=slow',
      '    3. 2-export-onnx test.ExportOnnx        opset=17',
    ]);
  });

  describe('settings', () => {
    const at = new ConfigLocation(new InlineConfigSource());
    const ref = <T>(type: string, kind: PluginKind, config: unknown): PluginRef<T> => {
      const descriptor: PluginDescriptor<unknown, T> = { type, kind, summary: '', parse: (raw) => raw, create: () => Promise.reject(new Error('unused')) };
      return new PluginRef<T>(descriptor, config, at);
    };
    const specWith = (config: unknown): PipelineSpec => ({
      file: 'x.yaml',
      name: 'x',
      seed: 0,
      backend: 'cpu',
      runsDir: 'out',
      stages: [{ name: 's', ref: ref<Stage>('t.Stage', 'stage', config) }],
      resolvedText: '',
    });
    const stageLine = (config: unknown): string[] => summarizePipeline(specWith(config)).split('\n').slice(2);

    it('quotes strings with spaces, commas or equals signs', () => {
      expect(stageLine({ a: 'two words', b: 'x,y', c: 'k=v', d: 'plain' })).toEqual(['    1. s           t.Stage                a="two words" b="x,y" c="k=v" d=plain']);
    });

    it('writes lists of scalars inline and nested lists as JSON', () => {
      expect(stageLine({ taps: ['neck.0', 'neck.1'], anchors: [[10, 13], [16, 30]] })).toEqual([
        '    1. s           t.Stage                taps=[neck.0,neck.1] anchors=[[10,13],[16,30]]',
      ]);
    });

    it('lists plugins inside lists as nested lines and skips undefined settings', () => {
      const augment = [ref('t.Mosaic', 'augmentation', { p: 1 }), ref('t.MixUp', 'augmentation', { p: 0.5 })];
      expect(stageLine({ epochs: 3, skipped: undefined, augment })).toEqual([
        '    1. s           t.Stage                epochs=3',
        '        augment[0]     t.Mosaic               p=1',
        '        augment[1]     t.MixUp                p=0.5',
      ]);
    });

    it('ends a plugin line without settings at its type', () => {
      expect(stageLine(null)).toEqual(['    1. s           t.Stage']);
      expect(summarizePipeline(specWith({})).split('\n')[0]).toBe('pipeline x (x.yaml): seed 0, backend cpu, runs in out/');
    });
  });
});
