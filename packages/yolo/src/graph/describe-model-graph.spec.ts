import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { TINY_V5_YAML, TINY_V8_YAML } from '../model/tiny-models.test.js';
import { YoloModel } from '../model/yolo-model.js';
import { defineModule } from '../modules/module-entry.js';
import { ULTRALYTICS_MODULES, YOLOV5_MODULES } from '../modules/module-lists.js';
import { parseModelYaml } from '../yaml/model-yaml.js';
import { describeModelGraph } from './describe-model-graph.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

const tinyV5 = () => new YoloModel(parseModelYaml(TINY_V5_YAML, 'tiny-v5.yaml', { modules: YOLOV5_MODULES }), { name: 'tiny-v5' });
const tinyV8 = () => new YoloModel(parseModelYaml(TINY_V8_YAML, 'tiny-v8.yaml', { modules: ULTRALYTICS_MODULES, scale: 'n' }), { name: 'tiny-v8' });

describe('YoloModel.graph', () => {
  it('uses every parameter of a v5-style model, one conv per Conv-BN and head conv, and names tensors by scope', () => {
    const model = tinyV5();
    const graph = model.graph();
    expect(Object.keys(graph.weights).sort()).toEqual(model.parameters().map((p) => p.name).sort());
    const convs = graph.ops.filter((op) => op.op === 'conv');
    expect(convs.length).toBe(model.parameters().filter((p) => p.layout === 'conv').length);
    expect(convs.filter((op) => op.batchNorm === undefined).map((op) => op.scope)).toEqual(['model.10.m.0', 'model.10.m.1']);
    expect(graph.head).toEqual(['/model.10/m.0/Conv_output_0', '/model.10/m.1/Conv_output_0']);
    // Row 0 is Conv(64, 6, 2, 2) at width 0.25: 16 channels, padding 2 as given.
    expect(convs[0]).toMatchObject({ scope: 'model.0', input: 'images', output: '/model.0/act/Mul_output_0', stride: 2, padding: 2, activation: { kind: 'silu' } });
    // C3 with 1 bottleneck (3 x 0.33): cv1 -> m.0 (1x1, 3x3, residual) ; cv2 ; concat ; cv3.
    expect(graph.ops.filter((op) => op.scope.startsWith('model.2.') || op.scope === 'model.2').map((op) => `${op.op} ${op.scope}`)).toEqual([
      'conv model.2.cv1',
      'conv model.2.m.0.cv1',
      'conv model.2.m.0.cv2',
      'add model.2.m.0',
      'conv model.2.cv2',
      'concat model.2',
      'conv model.2.cv3',
    ]);
    expect(graph.taps['neck.0']).toBe(graph.taps['layer.9']);
    expect(graph.taps['neck.1']).toBe(graph.taps['backbone.6']);
    model.dispose();
  });

  it('describes C2f as a split and a chain of bottlenecks, SPPF with a linear cv1 and the DFL head per level', () => {
    const model = tinyV8();
    const graph = model.graph();
    const names = new Set(model.parameters().filter((p) => p.role !== 'fixed').map((p) => p.name));
    expect(new Set(Object.keys(graph.weights))).toEqual(names);
    const split = graph.ops.find((op) => op.op === 'split' && op.scope === 'model.2');
    expect(split).toMatchObject({ channels: [16, 16] });
    const sppf = graph.ops.filter((op) => op.scope.startsWith('model.5'));
    expect(sppf.map((op) => op.op)).toEqual(['conv', 'maxPool', 'maxPool', 'maxPool', 'concat', 'conv']);
    expect(sppf[0]).toMatchObject({ activation: { kind: 'identity' } });
    expect(graph.head).toHaveLength(2);
    const cat = graph.ops.find((op) => op.op === 'concat' && op.output === graph.head[0]);
    expect(cat?.op === 'concat' && cat.inputs).toEqual(['/model.9/cv2.0.2/Conv_output_0', '/model.9/cv3.0.2/Conv_output_0']);
    model.dispose();
  });

  it('names the row of a module that has no graph description', () => {
    const opaque = defineModule<null>({
      name: 'Opaque',
      signature: '[]',
      repeat: 'stacked',
      inputs: 'single',
      role: 'layer',
      parseArgs: () => null,
      outputChannels: (_args, [c = 0]) => c,
      outputStride: (_args, [s = 1]) => s,
      build: () => ({ kind: 'layer', forward: ([x]) => tf.clone(x!) }),
    });
    const yaml = TINY_V5_YAML.replace('- [-1, 1, SPPF, [512, 5]] # 6', '- [-1, 1, Opaque, []] # 6');
    const model = new YoloModel(parseModelYaml(yaml, 'opaque.yaml', { modules: [...YOLOV5_MODULES, opaque] }), { name: 'opaque' });
    expect(() => describeModelGraph(model.spec, model.getWeights(), 'opaque')).toThrow(/opaque: opaque\.yaml:\d+:\d+: backbone\[6\]: the module Opaque has no graph description/);
    model.dispose();
  });
});
