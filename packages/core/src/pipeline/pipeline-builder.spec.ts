import { container } from 'tsyringe';
import { PIPELINE_DATA } from '../contracts/dataset-source.js';
import { ConfigError } from '../config/config-error.js';
import type { Stage } from '../contracts/stage.js';
import { PluginRegistry } from '../plugins/plugin-registry.js';
import type { Plugin, PluginDescriptor } from '../plugins/plugin.js';
import { FakeModel } from '../test-support/fake-model.js';
import { testPlugin, testRegistry, type TestTrainStage } from '../test-support/test-plugins.js';
import { buildPipeline } from './pipeline-builder.js';
import { parsePipeline } from './pipeline-loader.js';

const PIPELINE = `
data: { type: test.Shapes, root: shapes }
teacher: { type: test.Model, scale: l }
student: { type: test.Model, scale: n }
stages:
  - type: test.Train
    name: align
    epochs: 2
    lr: 0.1
    losses: { p3: { type: test.FeatureL2, student: neck.0, teacher: neck.0 } }
  - { type: test.ExportOnnx }
`;

describe('buildPipeline', () => {
  it('builds data, teacher, student and every stage with its name and type', async () => {
    const registry = testRegistry();
    const built = await buildPipeline(parsePipeline(PIPELINE, 'p.yaml', registry), registry, container.createChildContainer());
    expect(built.models.data?.root).toBe('shapes');
    expect(built.models.student).toBeInstanceOf(FakeModel);
    expect(built.models.student?.name).toBe('test-n');
    expect(built.stages.map(({ name, type, stage }) => [name, type, stage.name])).toEqual([
      ['align', 'test.Train', 'test.Train'],
      ['1-export-onnx', 'test.ExportOnnx', 'test.ExportOnnx'],
    ]);
    expect((built.stages[0]?.stage as TestTrainStage).losses['p3']?.taps).toEqual([{ student: 'neck.0', teacher: 'neck.0' }]);
    expect(built.spec.name).toBe('p');
  });

  it('registers the built dataset in the run container before models are built (class counts, image size)', async () => {
    const registry = testRegistry();
    const runContainer = container.createChildContainer();
    const built = await buildPipeline(parsePipeline(PIPELINE, 'p.yaml', registry), registry, runContainer);
    expect(runContainer.resolve(PIPELINE_DATA)).toBe(built.models.data);
  });

  it('wraps a model used as teacher so it always runs in inference mode', async () => {
    const registry = testRegistry();
    const built = await buildPipeline(parsePipeline(PIPELINE, 'p.yaml', registry), registry, container.createChildContainer());
    const teacher = built.models.teacher;
    expect(teacher).toBeDefined();
    expect(teacher).not.toBeInstanceOf(FakeModel);
    expect(teacher?.name).toBe('test-l');
    expect(teacher?.taps).toEqual(['neck.0', 'neck.1', 'neck.2']);
    expect(teacher && 'loss' in teacher).toBe(false);
  });

  it('keeps a dedicated teacher as it is', async () => {
    const registry = testRegistry();
    const text = PIPELINE.replace('teacher: { type: test.Model, scale: l }', 'teacher: { type: test.OnnxTeacher, path: v5l.onnx }');
    const built = await buildPipeline(parsePipeline(text, 'p.yaml', registry), registry, container.createChildContainer());
    expect(built.models.teacher?.name).toBe('v5l.onnx');
    expect(built.models.teacher?.numClasses).toBe(2);
  });

  it('builds in order data, teacher, student, stages, in the given container', async () => {
    const order: string[] = [];
    const runContainer = container.createChildContainer();
    const recording = (descriptor: PluginDescriptor): PluginDescriptor => ({
      ...descriptor,
      create: (config, context) => {
        expect(context.container).toBe(runContainer);
        order.push(`${descriptor.type}:${JSON.stringify(config)}`);
        return descriptor.create(config, context);
      },
    });
    const plugin: Plugin = { meta: testPlugin.meta, descriptors: testPlugin.descriptors.map(recording) };
    const registry = new PluginRegistry([plugin]);
    const text = 'stages: [{ type: test.ExportOnnx, opset: 17 }, { type: test.ExportOnnx }]\nstudent: { type: test.Model, scale: s }\ndata: { type: test.Shapes, root: r }\nteacher: { type: test.OnnxTeacher, path: t }\n';
    await buildPipeline(parsePipeline(text, 'p.yaml', registry), registry, runContainer);
    expect(order).toEqual([
      'test.Shapes:{"root":"r","imgsz":160}',
      'test.OnnxTeacher:{"path":"t"}',
      'test.Model:{"scale":"s"}',
      'test.ExportOnnx:{"opset":17}',
      'test.ExportOnnx:{"opset":13}',
    ]);
  });

  it('builds a pipeline with stages only', async () => {
    const registry = testRegistry();
    const built = await buildPipeline(parsePipeline('stages: [{ type: test.ExportOnnx }]\n', 'p.yaml', registry), registry, container.createChildContainer());
    expect(built.models).toEqual({});
    expect(built.stages).toHaveLength(1);
  });

  it('reports a plugin that cannot be built at its place in the file', async () => {
    const registry = testRegistry();
    const text = PIPELINE.replace('teacher: { type: test.Model, scale: l }', 'teacher: { type: test.OnnxTeacher, path: gone.missing }');
    const spec = parsePipeline(text, 'p.yaml', registry);
    const failure = buildPipeline(spec, registry, container.createChildContainer());
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow('p.yaml:3:10: teacher: cannot build test.OnnxTeacher: gone.missing does not exist');
  });

  it('gives stages the Stage objects their descriptors made', async () => {
    const made: Stage = { name: 'made', run: async () => undefined };
    const descriptor: PluginDescriptor<unknown, Stage> = { type: 'acme.Made', kind: 'stage', summary: '', parse: () => ({}), create: () => made };
    const registry = new PluginRegistry([{ meta: { name: 'acme', version: '1' }, descriptors: [descriptor] }]);
    const built = await buildPipeline(parsePipeline('stages: [{ type: acme.Made }]\n', 'p.yaml', registry), registry, container.createChildContainer());
    expect(built.stages[0]?.stage).toBe(made);
    expect(built.stages[0]?.name).toBe('0-made');
  });
});
