import { join } from 'node:path';
import { container } from 'tsyringe';
import { OrtSessionFactory, selectBackend } from '@yolo-distill/backend';
import { ConfigLocation, InlineConfigSource, ONNX_SESSIONS, PluginRegistry, type Teacher } from '@yolo-distill/core';
import { yoloPlugin } from '../plugin.js';
import { ULTRALYTICS_FIXTURES as FIXTURES } from '@yolo-distill/core/testing';

const registry = new PluginRegistry([yoloPlugin]);
const at = new ConfigLocation(new InlineConfigSource('pipeline.yaml'), ['teacher'], registry);
const parse = (raw: Record<string, unknown>) => registry.parse<Teacher>('teacher', { type: 'onnx.Teacher', ...raw }, at);

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('onnx.Teacher', () => {
  it('is a teacher plugin of the yolo package', () => {
    expect(registry.types()).toContain('onnx.Teacher');
  });

  it('parses file, taps, head and classes, and refuses what it does not know with the place', () => {
    expect(parse({ file: 'v5.onnx', taps: { 'neck.0': '/model.17/cv3/act/Mul_output_0' }, classes: 80 }).config).toEqual({
      file: 'v5.onnx',
      taps: { 'neck.0': '/model.17/cv3/act/Mul_output_0' },
      classes: 80,
    });
    expect(parse({ file: 'v8.onnx', head: [['box0', 'cls0']], classes: 4 }).config).toMatchObject({ head: [['box0', 'cls0']] });
    expect(() => parse({ path: 'v5.onnx' })).toThrow("teacher.path: unknown key 'path'");
    expect(() => parse({})).toThrow("teacher: missing required field 'file' (expected a string");
    expect(() => parse({ file: 'v5.onnx', classes: 0 })).toThrow('teacher.classes: expected a number > 0, found number 0');
    expect(() => parse({ file: 'v5.onnx', taps: { 'neck.0': 3 } })).toThrow('teacher.taps.neck.0');
    expect(() => parse({ file: 'v5.onnx', classes: 2, head: ['a', ['b', 'c']] })).toThrow(
      'teacher.head: expected one tensor name per level (anchor-based) or one [box tensor, class tensor] pair per level (anchor-free), found a list of 2',
    );
    expect(() => parse({ file: 'v5.onnx', head: ['a', 'b'] })).toThrow("teacher: a head named by its tensors ('head') needs 'classes' too");
  });

  it('builds a teacher from the run container\'s ONNX session factory', async () => {
    const run = container.createChildContainer();
    run.registerInstance(ONNX_SESSIONS, new OrtSessionFactory({ executionProviders: ['cpu'], intraOpThreads: 1 }));
    const file = join(FIXTURES, 'yolov8n.onnx');
    const teacher = await registry.build(parse({ file, taps: { 'backbone.2': '/model.2/cv2/act/Mul_output_0' } }), run);
    expect({ name: teacher.name, headKind: teacher.headKind, numClasses: teacher.numClasses, taps: teacher.taps, weightsSource: teacher.weightsSource }).toEqual({
      name: 'yolov8n.onnx',
      headKind: 'anchor-free',
      numClasses: 4,
      taps: ['neck.0', 'neck.1', 'neck.2', 'backbone.2'],
      weightsSource: file,
    });
    teacher.dispose();
  });

  it('says so when the run has no ONNX session factory, and names a missing file', async () => {
    await expect(registry.build(parse({ file: join(FIXTURES, 'yolov5n.onnx') }), container.createChildContainer())).rejects.toThrow('no ONNX session factory in the run');
    const run = container.createChildContainer();
    run.registerInstance(ONNX_SESSIONS, new OrtSessionFactory());
    await expect(registry.build(parse({ file: join(FIXTURES, 'yolov9n.onnx') }), run)).rejects.toThrow(`${join(FIXTURES, 'yolov9n.onnx')}: file not found`);
  });
});
