import { selectBackend } from '@yolo-distill/backend';
import { ULTRALYTICS_MODULES, YOLOV5_MODULES } from '../modules/module-lists.js';
import { TINY_V5_YAML, TINY_V8_YAML } from '../model/tiny-models.test.js';
import { YoloModel } from '../model/yolo-model.js';
import { parseModelYaml } from '../yaml/model-yaml.js';
import { withAnchors } from './with-anchors.js';

const v5Spec = () => parseModelYaml(TINY_V5_YAML, 'tiny-v5.yaml', { modules: YOLOV5_MODULES });
const anchors = [
  [
    [4, 5],
    [8, 10],
    [12, 9],
  ],
  [
    [20, 30],
    [40, 25],
    [50, 60],
  ],
] as const;

describe('withAnchors', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('builds the same model with other anchors: same parameters and weights, new head anchors', async () => {
    const spec = v5Spec();
    const original = new YoloModel(spec, { name: 'tiny-v5', seed: 2 });
    const changed = original.withSpec(withAnchors(spec, anchors));
    expect(changed.head).toEqual({ kind: 'anchor-based', numClasses: 2, strides: [8, 16], anchors });
    expect(original.head.anchors?.[0]).toEqual([
      [10, 13],
      [16, 30],
      [33, 23],
    ]);
    expect(changed.name).toBe('tiny-v5');
    const a = original.getWeights();
    const b = changed.getWeights();
    expect(Object.keys(b)).toEqual(Object.keys(a));
    expect(await b['model.10.m.1.bias']?.data()).toEqual(await a['model.10.m.1.bias']?.data());
    expect((await changed.saveState()).meta['anchors']).toEqual(anchors);
    original.dispose();
    changed.dispose();
  });

  it('keeps the per-level counts and needs an anchor-based head', () => {
    expect(() => withAnchors(v5Spec(), [anchors[0]])).toThrow('tiny-v5.yaml: head[3] has anchors per level [3, 3], the new anchors have [3]');
    expect(() => withAnchors(v5Spec(), [anchors[0], anchors[1].slice(0, 2)])).toThrow('has anchors per level [3, 3], the new anchors have [3, 2]');
    expect(() => withAnchors(v5Spec(), [anchors[0], [[1, 0], ...anchors[1].slice(1)]])).toThrow('anchors must be positive pixel sizes, found [1, 0]');
    const v8 = parseModelYaml(TINY_V8_YAML, 'tiny-v8.yaml', { modules: ULTRALYTICS_MODULES, scale: 'n' });
    expect(() => withAnchors(v8, anchors)).toThrow('tiny-v8.yaml: the head Detect is not anchor-based');
  });
});
