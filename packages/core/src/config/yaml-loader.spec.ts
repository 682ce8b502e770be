import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from './config-error.js';
import { loadYamlFile, parseYamlText, type YamlLoadOptions } from './yaml-loader.js';
import { useTempDir } from '../testing/index.js';

/** The ConfigError a call throws (fails the test if it throws nothing or something else). */
function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

const PIPELINE = [
  'seed: 3', //                                                           line 1
  'name: demo', //                                                        line 2
  'stages:', //                                                           line 3
  '  - type: test.Train', //                                              line 4
  '    epochs: 10', //                                                    line 5
  '    losses:', //                                                       line 6
  '      p3: { type: test.FeatureL2, student: neck.0, teacher: neck.0 }', // line 7
  '  - { type: test.ExportOnnx, opset: 13 }', //                          line 8
  '',
].join('\n');

const load = (text: string, options: YamlLoadOptions = {}) => parseYamlText(text, 'p.yaml', { env: {}, ...options });

describe('parseYamlText', () => {
  it('returns the plain value and the text', () => {
    const loaded = load(PIPELINE);
    expect(loaded.value).toEqual({
      seed: 3,
      name: 'demo',
      stages: [
        { type: 'test.Train', epochs: 10, losses: { p3: { type: 'test.FeatureL2', student: 'neck.0', teacher: 'neck.0' } } },
        { type: 'test.ExportOnnx', opset: 13 },
      ],
    });
    expect(loaded.resolvedText).toBe(PIPELINE);
    expect(loaded.source.file).toBe('p.yaml');
  });

  it('resolves anchors and aliases', () => {
    expect(load('base: &b { lr: 1 }\nother: *b\n').value).toEqual({ base: { lr: 1 }, other: { lr: 1 } });
  });

  describe('positions', () => {
    const { source } = load(PIPELINE);
    it.each([
      [['seed'], 'key', 1, 1],
      [['seed'], 'value', 1, 7],
      [['stages'], 'key', 3, 1],
      [['stages'], 'value', 4, 3],
      [['stages', 0], 'value', 4, 5],
      [['stages', 0, 'epochs'], 'key', 5, 5],
      [['stages', 0, 'epochs'], 'value', 5, 13],
      [['stages', 0, 'losses', 'p3'], 'key', 7, 7],
      [['stages', 0, 'losses', 'p3'], 'value', 7, 11],
      [['stages', 0, 'losses', 'p3', 'student'], 'key', 7, 35],
      [['stages', 0, 'losses', 'p3', 'student'], 'value', 7, 44],
      [['stages', 1], 'value', 8, 5],
      [['stages', 1, 'opset'], 'key', 8, 30],
      [['stages', 1, 'opset'], 'value', 8, 37],
    ] as const)('%j (%s) is at %i:%i', (path, part, line, col) => {
      expect(source.positionOf(path, part)).toEqual({ file: 'p.yaml', line, col });
    });

    it('falls back to the nearest existing node for missing keys and items', () => {
      expect(source.positionOf(['stages', 0, 'lr'])).toEqual({ file: 'p.yaml', line: 4, col: 5 });
      expect(source.positionOf(['stages', 5, 'epochs'])).toEqual({ file: 'p.yaml', line: 4, col: 3 });
      expect(source.positionOf(['seed', 'inner'])).toEqual({ file: 'p.yaml', line: 1, col: 7 });
    });
  });

  describe('environment variables', () => {
    const TEXT = ['seed: ${SEED:-3}', 'name: "${NAME:-run}"', 'quoted: \'${SEED:-3}\'', 'runs: ${ROOT}/runs', 'lr: ${LR:-0.01}', ''].join('\n');

    it('substitutes defaults; an unquoted whole reference is read as YAML (a number stays a number)', () => {
      const { value } = load(TEXT, { env: { ROOT: '/data' } });
      expect(value).toEqual({ seed: 3, name: 'run', quoted: '3', runs: '/data/runs', lr: 0.01 });
    });

    it('prefers the variable over the default, and treats an empty variable as unset', () => {
      const { value, resolvedText } = load(TEXT, { env: { SEED: '11', NAME: 'from-env', ROOT: 'r', LR: '' } });
      expect(value).toEqual({ seed: 11, name: 'from-env', quoted: '11', runs: 'r/runs', lr: 0.01 });
      expect(resolvedText).toContain('seed: 11\n');
    });

    it('reads process.env when no env is given', () => {
      process.env['YOLO_DISTILL_CORE_SPEC_SEED'] = '42';
      try {
        expect(parseYamlText('seed: ${YOLO_DISTILL_CORE_SPEC_SEED}\n', 'p.yaml').value).toEqual({ seed: 42 });
      } finally {
        delete process.env['YOLO_DISTILL_CORE_SPEC_SEED'];
      }
    });

    it('keeps a variable that is not valid YAML as a string', () => {
      expect(load('anchors: ${A}\n', { env: { A: '[1, 2' } }).value).toEqual({ anchors: '[1, 2' });
    });

    it('reports every missing variable at its line:col with the key path', () => {
      const error = configErrorOf(() => load('seed: 1\nstages:\n  - epochs: ${EPOCHS}\n    lr: x${LR}\n'));
      expect(error.message).toBe(
        [
          'p.yaml:3:13: stages[0].epochs: environment variable EPOCHS is not set (write ${EPOCHS:-default} to give a default)',
          'p.yaml:4:9: stages[0].lr: environment variable LR is not set (write ${LR:-default} to give a default)',
        ].join('\n'),
      );
    });
  });

  describe('references inside flow collections (the README snippet)', () => {
    it("parses `data: { type: data.YoloDataset, root: ${DATA}, imgsz: ${IMGSZ} }`: a path stays a string, a number a number", () => {
      const text = 'seed: 1\ndata: { type: data.YoloDataset, root: ${DATA}, imgsz: ${IMGSZ:-640} }  # a comment, with ${X}\nlist: [${A}/x, "${A}", b]\n';
      expect(load(text, { env: { DATA: '/data/pets', A: 'a' } }).value).toEqual({ seed: 1, data: { type: 'data.YoloDataset', root: '/data/pets', imgsz: 640 }, list: ['a/x', 'a', 'b'] });
    });

    it('keeps the line of every error in and after the flow map', () => {
      const error = configErrorOf(() => load('seed: 1\ndata: { type: x, root: ${DATA} }\nother: ${MISSING}\n'));
      expect(error.message).toBe(
        [
          'p.yaml:2:24: data.root: environment variable DATA is not set (write ${DATA:-default} to give a default)',
          'p.yaml:3:8: other: environment variable MISSING is not set (write ${MISSING:-default} to give a default)',
        ].join('\n'),
      );
    });

    it("leaves plain text with apostrophes and braces alone outside flow collections", () => {
      expect(load("note: it's {fine}\nname: a'b\n").value).toEqual({ note: "it's {fine}", name: "a'b" });
    });
  });

  describe('${NAME:?message}', () => {
    it("stops with the config author's message at the reference's line when NAME is unset", () => {
      const error = configErrorOf(() => load('teacher:\n  file: "${TEACHER:?make one with: yolo-distill run configs/teacher-v5s.yaml}"\n'));
      expect(error.message).toBe('p.yaml:2:9: teacher.file: TEACHER is not set: make one with: yolo-distill run configs/teacher-v5s.yaml');
      expect(load('file: "${TEACHER:?x}"\n', { env: { TEACHER: 't.onnx' } }).value).toEqual({ file: 't.onnx' });
    });
  });

  describe('--set overrides', () => {
    it('sets a nested value through a list index', () => {
      const loaded = load(PIPELINE, { overrides: ['stages[0].epochs=2'] });
      expect((loaded.value as { stages: { epochs: number }[] }).stages[0]?.epochs).toBe(2);
      expect(loaded.resolvedText).toContain('    epochs: 2\n');
    });

    it('accepts dotted indices and parses values as YAML', () => {
      const { value } = load(PIPELINE, { overrides: ['stages.1.opset=17', 'seed=7', "name='007'", 'stages[0].losses=null'] });
      expect(value).toMatchObject({ seed: 7, name: '007', stages: [{ losses: null }, { opset: 17 }] });
    });

    it('adds new keys and appends an item at the end of a list', () => {
      const { value } = load(PIPELINE, { overrides: ['backend=cpu', 'stages[0].lr=0.5', 'stages[2]={ type: test.ExportOnnx, opset: 17 }'] });
      expect(value).toMatchObject({ backend: 'cpu', stages: [{ lr: 0.5 }, {}, { type: 'test.ExportOnnx', opset: 17 }] });
    });

    it('points positions under an override at the command line, the last override winning', () => {
      const { source } = load(PIPELINE, { overrides: ['stages[0].epochs=2', 'stages[0]={ type: x.Y }'] });
      expect(source.positionOf(['stages', 0, 'type'])).toEqual({ file: 'p.yaml (--set stages[0]={ type: x.Y })', line: 1, col: 1 });
      expect(source.positionOf(['seed'])).toEqual({ file: 'p.yaml', line: 1, col: 7 });
      const single = load(PIPELINE, { overrides: ['stages[0].epochs=2'] }).source;
      expect(single.positionOf(['stages', 0, 'epochs'])).toEqual({ file: 'p.yaml (--set stages[0].epochs=2)', line: 1, col: 1 });
    });

    it.each([
      ['stages[0].epochs', "p.yaml (--set stages[0].epochs):1:1: --set expects key.path=value, found 'stages[0].epochs'"],
      ['=3', "p.yaml (--set =3):1:1: --set expects key.path=value, found '=3'"],
      ['stages..epochs=3', "p.yaml (--set stages..epochs=3):1:1: 'stages..epochs' is not a key path like a.b[1].c"],
      ['name=[1, 2', 'p.yaml (--set name=[1, 2):1:6: the value is not valid YAML: Flow sequence must end with a ] at line 1, column 6:'],
      ['stages[5]=1', "p.yaml (--set stages[5]=1):1:1: index 5 is past the end of 'stages', a list of 2"],
      ['stages[5].epochs=1', "p.yaml (--set stages[5].epochs=1):1:1: there is no 'stages[5]' to set 'epochs' in"],
      ['data.root=x', "p.yaml (--set data.root=x):1:1: there is no 'data' to set 'root' in"],
      ['seed.low=1', "p.yaml (--set seed.low=1):1:1: 'seed' is a single value, not a mapping or list; cannot set 'low' inside it"],
      ['stages.first=1', "p.yaml (--set stages.first=1):1:1: 'stages' is a list; set an item by index, e.g. stages[0]"],
    ])('rejects %s', (override, message) => {
      expect(configErrorOf(() => load(PIPELINE, { overrides: [override] })).message).toBe(message);
    });
  });

  describe('bad files', () => {
    it.each(['', '\n\n', '# only a comment\n'])('rejects an empty file %j', (text) => {
      expect(configErrorOf(() => load(text)).message).toBe('p.yaml:1:1: the file is empty: expected a mapping with at least `stages:`');
    });

    it('reports a syntax error at its line:col', () => {
      expect(configErrorOf(() => load('seed: 1\nname: a: b\n')).message).toBe('p.yaml:2:7: YAML syntax error: Nested mappings are not allowed in compact mappings');
      expect(configErrorOf(() => load('stages:\n  a: 1\n b: 2\n')).message).toBe('p.yaml:3:1: YAML syntax error: All mapping items must start at the same column');
    });

    it('rejects duplicate keys at the second one', () => {
      expect(configErrorOf(() => load('seed: 1\nname: x\nseed: 2\n')).message).toBe('p.yaml:3:1: YAML syntax error: Map keys must be unique');
    });

    it('rejects several documents in one file', () => {
      expect(configErrorOf(() => load('seed: 1\n---\nseed: 2\n')).message).toMatch(/^p\.yaml:2:1: YAML syntax error: Source contains multiple documents/);
    });
  });
});

describe('loadYamlFile', () => {
  const dir = useTempDir('yaml');

  it('reads a file and names it in positions', async () => {
    const file = join(dir(), 'pipe.yaml');
    await writeFile(file, 'seed: ${S:-5}\nstages: []\n');
    const loaded = await loadYamlFile(file, { env: {} });
    expect(loaded.value).toEqual({ seed: 5, stages: [] });
    expect(loaded.source.positionOf(['stages'])).toEqual({ file, line: 2, col: 9 });
  });

  it('says when the file is missing', async () => {
    const file = join(dir(), 'missing.yaml');
    await expect(loadYamlFile(file)).rejects.toThrow(`${file}:1:1: cannot read pipeline: file not found`);
  });

  it('says when the path cannot be read as a file', async () => {
    await expect(loadYamlFile(dir())).rejects.toThrow(/:1:1: cannot read pipeline: EISDIR/);
  });
});
