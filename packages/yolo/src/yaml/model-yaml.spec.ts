import { ConfigError } from '@yolo-distill/core';
import { TINY_V5_YAML, TINY_V8_YAML } from '../model/tiny-models.test.js';
import { ULTRALYTICS_MODULES, YOLOV5_MODULES } from '../modules/module-lists.js';
import { loadModelYaml, parseModelYaml } from './model-yaml.js';

const v5 = (text: string, file = 'tiny-v5.yaml') => parseModelYaml(text, file, { modules: YOLOV5_MODULES });
const v8 = (text: string, scale = 'n', file = 'tiny-v8.yaml') => parseModelYaml(text, file, { modules: ULTRALYTICS_MODULES, scale });

/** The ConfigError message a parse throws. */
function errorOf(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseModelYaml', () => {
  it('scales channels (make_divisible(c2 * width, 8)) and repeats (max(round(n * depth), 1)) as Ultralytics does', () => {
    const spec = v5(TINY_V5_YAML);
    expect(spec.numClasses).toBe(2);
    expect(spec.scaling).toMatchObject({ depth: 0.33, width: 0.25, maxChannels: Infinity, divisor: 8 });
    expect(spec.layers.map((l) => l.outputChannels)).toEqual([16, 32, 32, 64, 64, 128, 128, 128, 192, 64, 3 * 7]);
    // C3 n=3 -> round(0.99) = 1, n=6 -> round(1.98) = 2; Conv and the head keep 1.
    expect(spec.layers.map((l) => l.repeats)).toEqual([1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1]);
    expect(spec.layers.map((l) => l.stride)).toEqual([2, 4, 4, 8, 8, 16, 16, 8, 8, 8, 8]);
    expect(spec.layers[8]?.from).toEqual([7, 4]);
    expect(spec.layers[0]?.from).toEqual([-1]);
    expect(spec.layers[10]).toMatchObject({ from: [9, 6], inputChannels: [64, 128], inputStrides: [8, 16], section: 'head', row: 'head[3]' });
    expect(spec.layers[10]?.where).toBe('tiny-v5.yaml:19:5');
    expect(spec.backboneLength).toBe(7);
  });

  it('takes depth, width and max_channels from the chosen scale', () => {
    const n = v8(TINY_V8_YAML, 'n');
    expect(n.layers.map((l) => l.outputChannels).slice(0, 9)).toEqual([16, 32, 32, 64, 128, 128, 128, 192, 64]);
    expect(n.layers[2]?.repeats).toBe(1);
    const l = v8(TINY_V8_YAML, 'l');
    // max_channels 128 caps 256 and 512 before the width multiple.
    expect(l.layers.map((layer) => layer.outputChannels).slice(0, 9)).toEqual([64, 128, 128, 128, 128, 128, 128, 256, 128]);
    expect(l.layers[2]?.repeats).toBe(3);
    expect(l.scale).toBe('l');
  });

  it('overrides nc with the numClasses option and resolves nc in args', () => {
    const spec = parseModelYaml(TINY_V5_YAML, 'tiny.yaml', { modules: YOLOV5_MODULES, numClasses: 7 });
    expect(spec.numClasses).toBe(7);
    expect(spec.layers[10]?.outputChannels).toBe(3 * (5 + 7));
  });

  it('uses Python rounding (half to even) for repeats', () => {
    const text = TINY_V5_YAML.replace('depth_multiple: 0.33', 'depth_multiple: 0.5').replace('[-1, 6, C3, [256]]', '[-1, 5, C3, [256]]');
    // 3 * 0.5 = 1.5 -> 2, 5 * 0.5 = 2.5 -> 2, 3 * 0.5 (head) -> 2
    expect(v5(text).layers.map((l) => l.repeats)).toEqual([1, 1, 2, 1, 2, 1, 1, 1, 1, 2, 1]);
  });

  it('reads activation: nn.LeakyReLU(0.1)', () => {
    expect(v5(`activation: nn.LeakyReLU(0.1)\n${TINY_V5_YAML}`).activation).toEqual({ kind: 'leaky-relu', alpha: 0.1 });
    expect(errorOf(() => v5(`activation: nn.GELU()\n${TINY_V5_YAML}`))).toBe(
      "tiny-v5.yaml:1:13: activation: unsupported activation 'nn.GELU()'; use nn.SiLU(), nn.LeakyReLU(0.1), nn.ReLU() or nn.Identity()",
    );
  });
});

describe('parseModelYaml errors: file:line:col, the row, what is wrong', () => {
  it('a from index that refers forward', () => {
    const text = TINY_V5_YAML.replace('[[-1, 4], 1, Concat, [1]]', '[[-1, 12], 1, Concat, [1]]');
    expect(errorOf(() => v5(text, 'bad.yaml'))).toBe(
      "bad.yaml:17:11: head[1][0][1]: layer 8: 'from' 12 refers forward to layer 12; a row can only use earlier rows (-1..-8 or 0..7)",
    );
  });

  it('a from index out of range', () => {
    const text = TINY_V5_YAML.replace('[-1, 1, Conv, [256, 3, 2]] # 3', '[-9, 1, Conv, [256, 3, 2]] # 3');
    expect(errorOf(() => v5(text, 'bad.yaml'))).toBe(
      "bad.yaml:11:6: backbone[3][0]: layer 3: 'from' -9 is out of range; there are only 3 earlier row(s) (-1..-3 or 0..2)",
    );
  });

  it('a row that uses itself', () => {
    const text = TINY_V5_YAML.replace('[[-1, 4], 1, Concat, [1]]', '[[-1, 8], 1, Concat, [1]]');
    expect(errorOf(() => v5(text))).toContain("head[1][0][1]: layer 8: 'from' 8 refers to the row itself");
  });

  it('an unknown module, with the known ones and a suggestion', () => {
    const text = TINY_V5_YAML.replace('[-1, 3, C3, [256, False]]', '[-1, 3, C4, [256, False]]');
    expect(errorOf(() => v5(text, 'bad.yaml'))).toBe(
      "bad.yaml:18:13: head[2][2]: layer 9: unknown module 'C4' (did you mean 'C3'?); known modules: Bottleneck, C3, Concat, Conv, Detect, SPP, SPPF, nn.Upsample",
    );
  });

  it('a module of another version is unknown to this list (C2f in a YOLOv5 YAML)', () => {
    const text = TINY_V5_YAML.replace('[-1, 3, C3, [256, False]]', '[-1, 3, C2f, [256]]');
    expect(errorOf(() => v5(text))).toContain("unknown module 'C2f'");
  });

  it('wrong args: type, count, and the module signature', () => {
    const wrongType = TINY_V5_YAML.replace('[-1, 1, Conv, [128, 3, 2]]', '[-1, 1, Conv, [wide, 3, 2]]');
    expect(errorOf(() => v5(wrongType, 'bad.yaml'))).toBe(
      "bad.yaml:9:20: backbone[1][3][0]: Conv: argument 0 (c2) must be an integer >= 1, found 'wide'; Conv args are [c2, k=1, s=1, p=None, g=1, d=1, act=True]",
    );
    const tooMany = TINY_V5_YAML.replace('[-1, 1, SPPF, [512, 5]]', '[-1, 1, SPPF, [512, 5, 3]]');
    expect(errorOf(() => v5(tooMany))).toContain('backbone[6][3][2]: SPPF: takes at most 2 argument(s), found 3; SPPF args are [c2, k=5]');
    const grouped = TINY_V5_YAML.replace('[-1, 1, Conv, [128, 3, 2]]', '[-1, 1, Conv, [128, 3, 2, 1, 2]]');
    expect(errorOf(() => v5(grouped))).toContain('backbone[1][3][4]: Conv: grouped convolution (g=2) is not supported');
    const upsample = TINY_V5_YAML.replace('[None, 2, "nearest"]', '[None, 2, "bilinear"]');
    expect(errorOf(() => v5(upsample))).toContain("head[0][3][2]: nn.Upsample: argument 2 (mode) must be 'nearest', found 'bilinear'");
  });

  it('anchors that do not fit the head', () => {
    const text = TINY_V5_YAML.replace('[[9, 6], 1, Detect, [nc, anchors]]', '[[9, 6, 4], 1, Detect, [nc, anchors]]');
    expect(errorOf(() => v5(text))).toContain("head[3][3][1]: Detect: argument 1 (anchors) has 2 level(s) but 'from' names 3 map(s)");
  });

  it('a detection head that is not last, and a model without one', () => {
    const early = TINY_V5_YAML.replace('[-1, 1, SPPF, [512, 5]] # 6', '[[4, 5], 1, Detect, [nc, anchors]] # 6');
    expect(errorOf(() => v5(early))).toContain('backbone[6][2]: layer 6: the detection head Detect must be the last row');
    const headless = TINY_V5_YAML.replace('[[9, 6], 1, Detect, [nc, anchors]]', '[-1, 1, Conv, [64, 1, 1]]');
    expect(errorOf(() => v5(headless))).toContain('head: the last row must be a detection head (Detect), found Conv');
  });

  it('a row that is not [from, repeats, module, args], and bad repeats', () => {
    expect(errorOf(() => v5(TINY_V5_YAML.replace('[-1, 1, Conv, [128, 3, 2]]', '[-1, Conv, [128, 3, 2]]')))).toContain(
      'backbone[1]: layer 1: a row is [from, repeats, module, args], found a list of 3',
    );
    expect(errorOf(() => v5(TINY_V5_YAML.replace('[-1, 1, Conv, [128, 3, 2]]', '[-1, 0, Conv, [128, 3, 2]]')))).toContain(
      'backbone[1][1]: layer 1: repeats must be an integer >= 1, found 0',
    );
  });

  it('stacked repeats of a module that changes the channel count', () => {
    const text = TINY_V5_YAML.replace('[-1, 1, Conv, [256, 3, 2]] # 3', '[-1, 9, Conv, [256, 3, 2]] # 3');
    // 9 * 0.33 -> 3 copies; every copy takes [c1, c2, ...] as nn.Sequential(m(*args) for _ in range(n)) does.
    expect(errorOf(() => v5(text))).toContain('backbone[3]: layer 3: 3 stacked Conv copies need equal input and output channels, found 32 -> 64');
  });

  it('scales: a missing or unknown scale', () => {
    expect(errorOf(() => parseModelYaml(TINY_V8_YAML, 'v8.yaml', { modules: ULTRALYTICS_MODULES }))).toBe(
      "v8.yaml:2:1: scales: the YAML has scales n, l: choose one (the 'scale' option)",
    );
    expect(errorOf(() => v8(TINY_V8_YAML, 'm', 'v8.yaml'))).toBe("v8.yaml:2:1: scales: unknown scale 'm' (did you mean 'n'?); the YAML defines n, l");
  });

  it('top-level keys: typos, types, syntax, empty files', () => {
    expect(errorOf(() => v5(TINY_V5_YAML.replace('depth_multiple', 'depth_multipel'), 'bad.yaml'))).toContain(
      "bad.yaml:2:1: depth_multipel: unknown key 'depth_multipel' (did you mean 'depth_multiple'?)",
    );
    expect(errorOf(() => v5(TINY_V5_YAML.replace('nc: 2', 'nc: two'), 'bad.yaml'))).toContain('bad.yaml:1:5: nc: expected a number, found string "two"');
    expect(errorOf(() => v5('backbone: [[-1, 1, Conv, [64, 3]]\nhead: [', 'bad.yaml'))).toMatch(/^bad\.yaml:\d+:\d+: YAML syntax error/);
    expect(errorOf(() => v5('', 'empty.yaml'))).toBe('empty.yaml:1:1: the model YAML is empty: expected a mapping with `backbone:` and `head:`');
  });

  it('loadModelYaml names a file it cannot read', async () => {
    await expect(loadModelYaml('/nonexistent/model.yaml', { modules: YOLOV5_MODULES })).rejects.toThrow('/nonexistent/model.yaml:1:1: cannot read model YAML: file not found');
  });
});
