import { z } from 'zod';
import { parseWith } from '../config/parse-with.js';
import type { DatasetSource } from '../contracts/dataset-source.js';
import type { DistillLoss } from '../contracts/distill-loss.js';
import type { Stage } from '../contracts/stage.js';
import type { Teacher } from '../contracts/teacher.js';
import { FakeModel } from './fake-model.js';
import { PluginRegistry } from '../plugins/plugin-registry.js';
import type { Plugin, PluginDescriptor, PluginRef } from '../plugins/plugin.js';

/*
 * Small in-memory plugins for registry, loader and builder specs. They mirror the real shape
 * (`{ meta, descriptors }`, zod schemas through parseWith, nested plugins through `at.plugin`)
 * but build plain objects that only record what they were built from.
 */

export interface TestLossConfig {
  readonly student: string;
  readonly teacher: string;
  readonly weight: number;
}

const lossSchema = z.strictObject({
  student: z.string().min(1),
  teacher: z.string().min(1),
  weight: z.number().positive().default(1),
});

export const testLoss: PluginDescriptor<TestLossConfig, DistillLoss> = {
  type: 'test.FeatureL2',
  kind: 'loss',
  summary: 'L2 between one student and one teacher feature map',
  parse: (raw, at) => parseWith(lossSchema, raw, at),
  create: (config) => ({
    name: 'test.FeatureL2',
    taps: [{ student: config.student, teacher: config.teacher }],
    compute: () => {
      throw new Error('test.FeatureL2 computes nothing');
    },
  }),
};

export interface FocalConfig {
  readonly gamma: number;
  readonly alpha: number;
}

export interface TestHeadLossConfig {
  readonly temperature: number;
  readonly objectness: { readonly focal: FocalConfig };
}

const headLossSchema = z.strictObject({
  temperature: z.number().positive(),
  objectness: z.strictObject({ focal: z.strictObject({ gamma: z.number().min(0), alpha: z.number().min(0).max(1) }) }),
});

export const testHeadLoss: PluginDescriptor<TestHeadLossConfig, DistillLoss> = {
  type: 'test.HeadKL',
  kind: 'loss',
  summary: 'class KL with temperature',
  parse: (raw, at) => parseWith(headLossSchema, raw, at),
  create: () => ({
    name: 'test.HeadKL',
    taps: [],
    compute: () => {
      throw new Error('test.HeadKL computes nothing');
    },
  }),
};

export interface TestTrainConfig {
  readonly epochs: number;
  readonly lr: number;
  readonly mode: 'fast' | 'slow';
  readonly losses: Readonly<Record<string, PluginRef<DistillLoss>>>;
}

const trainSchema = z.strictObject({
  epochs: z.int().min(0),
  lr: z.number().positive(),
  mode: z.enum(['fast', 'slow']).default('fast'),
  losses: z.record(z.string(), z.unknown()).default({}),
});

/** A stage that remembers the losses it was built with; running it does nothing. */
export interface TestTrainStage extends Stage {
  readonly config: TestTrainConfig;
  readonly losses: Readonly<Record<string, DistillLoss>>;
}

export const testTrain: PluginDescriptor<TestTrainConfig, TestTrainStage> = {
  type: 'test.Train',
  kind: 'stage',
  summary: 'a training stage that records its settings',
  parse: (raw, at) => {
    const config = parseWith(trainSchema, raw, at);
    const losses: Record<string, PluginRef<DistillLoss>> = {};
    for (const [name, node] of Object.entries(config.losses)) {
      losses[name] = at.child('losses').child(name).plugin<DistillLoss>('loss', node);
    }
    return { ...config, losses };
  },
  create: async (config, context) => {
    const losses: Record<string, DistillLoss> = {};
    for (const [name, ref] of Object.entries(config.losses)) losses[name] = await context.build(ref);
    return { name: 'test.Train', config, losses, run: async () => undefined };
  },
};

const exportSchema = z.strictObject({ opset: z.union([z.literal(13), z.literal(17)]).default(13) });

export const testExport: PluginDescriptor<z.output<typeof exportSchema>, Stage> = {
  type: 'test.ExportOnnx',
  kind: 'stage',
  summary: 'pretends to export',
  parse: (raw, at) => parseWith(exportSchema, raw, at),
  create: () => ({ name: 'test.ExportOnnx', run: async () => undefined }),
};

const datasetSchema = z.strictObject({ root: z.string().min(1), imgsz: z.int().min(32).default(160) });

export const testDataset: PluginDescriptor<z.output<typeof datasetSchema>, DatasetSource> = {
  type: 'test.Shapes',
  kind: 'dataset',
  summary: 'synthetic shapes',
  parse: (raw, at) => parseWith(datasetSchema, raw, at),
  create: (config) => ({
    name: 'shapes',
    root: config.root,
    classNames: ['circle', 'square'],
    imageSize: config.imgsz,
    prepare: async () => undefined,
    size: () => 0,
    sample: () => Promise.reject(new Error('test.Shapes has no samples')),
  }),
};

const teacherSchema = z.strictObject({ path: z.string().min(1) });

export const testOnnxTeacher: PluginDescriptor<z.output<typeof teacherSchema>, Teacher> = {
  type: 'test.OnnxTeacher',
  kind: 'teacher',
  summary: 'a frozen ONNX teacher',
  parse: (raw, at) => parseWith(teacherSchema, raw, at),
  create: (config) => {
    if (config.path.endsWith('.missing')) throw new Error(`${config.path} does not exist`);
    return {
      name: config.path,
      headKind: 'anchor-free',
      numClasses: 2,
      taps: ['neck.0'],
      forward: () => Promise.reject(new Error('unused')),
      dispose: () => undefined,
    };
  },
};

const modelSchema = z.strictObject({ scale: z.enum(['n', 's', 'm', 'l']), weights: z.string().optional() });

export const testModel: PluginDescriptor<z.output<typeof modelSchema>, FakeModel> = {
  type: 'test.Model',
  kind: 'model',
  summary: 'a detector that holds one number',
  parse: (raw, at) => parseWith(modelSchema, raw, at),
  create: (config) => new FakeModel(`test-${config.scale}`),
};

const mosaicSchema = z.strictObject({ p: z.number().min(0).max(1).default(1) });

export const testMosaic: PluginDescriptor<z.output<typeof mosaicSchema>, { readonly p: number }> = {
  type: 'test.Mosaic',
  kind: 'augmentation',
  summary: 'four images in one',
  parse: (raw, at) => parseWith(mosaicSchema, raw, at),
  create: (config) => ({ p: config.p }),
};

export const testPlugin: Plugin = {
  meta: { name: '@yolo-distill/test-plugins', version: '0.0.0' },
  descriptors: [testLoss, testHeadLoss, testTrain, testExport, testDataset, testOnnxTeacher, testModel, testMosaic],
};

/** A fresh registry holding the test plugins. */
export function testRegistry(): PluginRegistry {
  return new PluginRegistry([testPlugin]);
}
