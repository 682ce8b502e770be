import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../config/config-error.js';
import { testRegistry } from '../test-support/test-plugins.js';
import { useTempDir } from '../testing/index.js';
import { loadPipeline, parsePipeline } from './pipeline-loader.js';

const FILE = 'configs/quick.yaml';

const LINES = [
  'seed: 1', //                                                                  1
  'data: { type: test.Shapes, root: datasets/shapes }', //                       2
  'teacher: { type: test.Model, scale: l }', //                                  3
  'student: { type: test.Model, scale: s }', //                                  4
  'stages:', //                                                                  5
  '  - type: test.Train', //                                                     6
  '    name: feature-align', //                                                  7
  '    epochs: 20', //                                                           8
  '    lr: 1.0e-4', //                                                           9
  '    losses:', //                                                              10
  '      p3: { type: test.FeatureL2, student: neck.0, teacher: neck.0, weight: 0.3 }', // 11
  '      head: { type: test.HeadKL, temperature: 3, objectness: { focal: { gamma: 2, alpha: 0.25 } } }', // 12
  '  - { type: test.Train, epochs: 5, lr: 3.0e-5, mode: slow }', //            13
  '  - { type: test.ExportOnnx, opset: 17 }', //                                14
];
const PIPELINE = `${LINES.join('\n')}\n`;

/** The pipeline with line `line` (1-based) replaced, or removed when `text` is undefined. */
function edited(line: number, text: string | undefined): string {
  const lines = [...LINES];
  if (text === undefined) lines.splice(line - 1, 1);
  else lines[line - 1] = text;
  return `${lines.join('\n')}\n`;
}

function problemsOf(text: string, overrides: readonly string[] = []): string[] {
  try {
    parsePipeline(text, FILE, testRegistry(), { env: {}, overrides });
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected the pipeline to be rejected');
}

describe('parsePipeline', () => {
  it('parses every slot and stage of a valid pipeline', () => {
    const spec = parsePipeline(PIPELINE, FILE, testRegistry(), { env: {} });
    expect(spec).toMatchObject({ file: FILE, name: 'quick', seed: 1, backend: 'auto', runsDir: 'runs' });
    // The resolved text is re-serialised YAML: the same document, not necessarily the same characters.
    expect(parseYaml(spec.resolvedText)).toEqual(parseYaml(PIPELINE));
    expect(spec.data?.type).toBe('test.Shapes');
    expect(spec.data?.config).toEqual({ root: 'datasets/shapes', imgsz: 160 });
    expect(spec.teacher?.type).toBe('test.Model');
    expect(spec.teacher?.at.path).toEqual(['teacher']);
    expect(spec.student?.config).toEqual({ scale: 's' });
    expect(spec.stages.map((stage) => [stage.name, stage.ref.type])).toEqual([
      ['feature-align', 'test.Train'],
      ['1-train', 'test.Train'],
      ['2-export-onnx', 'test.ExportOnnx'],
    ]);
    expect(spec.stages[0]?.ref.config).toMatchObject({ epochs: 20, lr: 1e-4, mode: 'fast' });
    expect(spec.stages[1]?.ref.at.path).toEqual(['stages', 1]);
  });

  it('takes name, backend and runs folder from the file', () => {
    const spec = parsePipeline('name: v5s-distill\nbackend: wasm\nruns: out/runs\nstages: [{ type: test.ExportOnnx }]\n', FILE, testRegistry());
    expect(spec).toMatchObject({ name: 'v5s-distill', backend: 'wasm', runsDir: 'out/runs', seed: 0 });
    expect(spec.data).toBeUndefined();
    expect(spec.teacher).toBeUndefined();
    expect(spec.student).toBeUndefined();
    expect(spec.stages.map((stage) => stage.name)).toEqual(['0-export-onnx']);
  });

  it('applies environment variables and --set overrides before validating', () => {
    const spec = parsePipeline(edited(8, '    epochs: ${EPOCHS:-20}'), FILE, testRegistry(), { env: { EPOCHS: '4' }, overrides: ['stages[1].epochs=2', 'seed=9'] });
    expect(spec.seed).toBe(9);
    expect(spec.stages.map((stage) => (stage.ref.config as { epochs?: number }).epochs)).toEqual([4, 2, undefined]);
    expect(spec.resolvedText).toContain('    epochs: 4\n');
    expect(spec.resolvedText).toContain('seed: 9\n');
  });

  describe('bad pipelines: one clear message each, at file:line:col with the key path', () => {
    it('an empty file', () => {
      expect(problemsOf('')).toEqual([`${FILE}:1:1: the file is empty: expected a mapping with at least \`stages:\``]);
    });

    it('a YAML syntax error', () => {
      expect(problemsOf(edited(9, '    lr: 1.0e-4: x'))).toEqual([`${FILE}:9:9: YAML syntax error: Nested mappings are not allowed in compact mappings`]);
    });

    it('an unknown plugin type', () => {
      expect(problemsOf(edited(13, '  - { type: test.Trane, epochs: 5, lr: 3.0e-5 }'))).toEqual([
        `${FILE}:13:13: stages[1].type: unknown stage type 'test.Trane'. Did you mean 'test.Train'? Known stage types: test.ExportOnnx, test.Train`,
      ]);
    });

    it('a missing required field', () => {
      expect(problemsOf(edited(9, undefined))).toEqual([`${FILE}:6:5: stages[0]: missing required field 'lr' (expected a number)`]);
    });

    it('a string where a number goes', () => {
      expect(problemsOf(edited(8, '    epochs: twenty'))).toEqual([`${FILE}:8:13: stages[0].epochs: expected a number, found string "twenty"`]);
    });

    it('negative epochs', () => {
      expect(problemsOf(edited(8, '    epochs: -3'))).toEqual([`${FILE}:8:13: stages[0].epochs: expected a number >= 0, found number -3`]);
    });

    it('an unknown key (typo)', () => {
      expect(problemsOf(edited(8, '    epoch: 20'))).toEqual([`${FILE}:8:5: stages[0].epoch: unknown key 'epoch' (did you mean 'epochs'?)`]);
    });
  });

  describe('more bad pipelines', () => {
    it('problems deep inside nested plugins', () => {
      expect(problemsOf(edited(12, '      head: { type: test.HeadKL, temperature: 3, objectness: { focal: { gamma: 2, alpha: 1.5 } } }'))).toEqual([
        `${FILE}:12:90: stages[0].losses.head.objectness.focal.alpha: expected a value <= 1, found number 1.5`,
      ]);
    });

    it('a value set by --set is located on the command line', () => {
      expect(problemsOf(PIPELINE, ['stages[0].epochs=-1'])).toEqual([
        `${FILE} (--set stages[0].epochs=-1):1:1: stages[0].epochs: expected a number >= 0, found number -1`,
      ]);
    });

    it('a typo of a top-level key', () => {
      expect(problemsOf('seed: 1\nstage:\n  - { type: test.ExportOnnx }\n')).toEqual([`${FILE}:2:1: stage: unknown key 'stage' (did you mean 'stages'?)`]);
    });

    it('no stages', () => {
      expect(problemsOf('seed: 1\n')).toEqual([`${FILE}:1:1: missing required field 'stages' (expected a list)`]);
      expect(problemsOf('seed: 1\nstages: []\n')).toEqual([`${FILE}:2:9: stages: expected at least 1 item(s), found 0`]);
    });

    it('a top level that is not a mapping', () => {
      expect(problemsOf('- a\n- b\n')).toEqual([`${FILE}:1:1: expected a mapping with at least 'stages:' at the top of the pipeline, found a list of 2`]);
    });

    it('bad top-level settings, all reported', () => {
      expect(problemsOf('seed: -1\nbackend: gpu\nname: my run\nstages: [{ type: test.ExportOnnx }]\n')).toEqual([
        `${FILE}:3:7: name: a run name may hold letters, digits, dot, dash and underscore, found string "my run"`,
        `${FILE}:1:7: seed: expected a number >= 0, found number -1`,
        `${FILE}:2:10: backend: expected one of "auto", "tfjs-node-gpu", "tfjs-node", "wasm", "cpu", found string "gpu"`,
      ]);
    });

    it('problems of several slots and stages together', () => {
      const text = edited(2, 'data: { type: test.Shapes }').replace('    epochs: 20', '    epochs: 2.5');
      expect(problemsOf(text)).toEqual([
        `${FILE}:2:1: data: missing required field 'root' (expected a string)`,
        `${FILE}:8:13: stages[0].epochs: expected an integer, found number 2.5`,
      ]);
    });

    it('a slot given the wrong kind of plugin', () => {
      expect(problemsOf(edited(4, 'student: { type: test.OnnxTeacher, path: t.onnx }'))).toEqual([
        `${FILE}:4:18: student.type: 'test.OnnxTeacher' is a teacher, but a model is expected here. Known model types: test.Model`,
      ]);
    });
  });

  describe('stage names', () => {
    it('defaults to index and the kebab-cased type name', () => {
      const spec = parsePipeline('stages:\n  - { type: test.ExportOnnx }\n  - { type: test.Train, epochs: 1, lr: 1 }\n', FILE, testRegistry());
      expect(spec.stages.map((stage) => stage.name)).toEqual(['0-export-onnx', '1-train']);
    });

    it('rejects a duplicate name at the second stage', () => {
      const text = 'stages:\n  - { name: warmup, type: test.Train, epochs: 1, lr: 1 }\n  - { name: warmup, type: test.Train, epochs: 2, lr: 1 }\n';
      expect(problemsOf(text)).toEqual([`${FILE}:3:13: stages[1].name: stage name 'warmup' is already used by stages[0]; names must be unique (they name checkpoints)`]);
    });

    it('rejects an explicit name that collides with a default one', () => {
      const text = 'stages:\n  - { name: 1-train, type: test.Train, epochs: 1, lr: 1 }\n  - { type: test.Train, epochs: 2, lr: 1 }\n';
      expect(problemsOf(text)).toEqual([`${FILE}:3:5: stages[1].name: stage name '1-train' is already used by stages[0]; names must be unique (they name checkpoints)`]);
    });

    it('rejects names that cannot name a folder', () => {
      expect(problemsOf('stages:\n  - { name: a/b, type: test.ExportOnnx }\n')).toEqual([
        `${FILE}:2:13: stages[0].name: a stage name may hold letters, digits, dot, dash and underscore, found string "a/b"`,
      ]);
      expect(problemsOf('stages:\n  - { name: 3, type: test.ExportOnnx }\n')).toEqual([`${FILE}:2:13: stages[0].name: expected a string, found number 3`]);
    });
  });
});

describe('loadPipeline', () => {
  const dir = useTempDir('pipeline');

  it('reads the file and names the pipeline after it', async () => {
    const file = join(dir(), 'v5-to-v5n.yaml');
    await writeFile(file, PIPELINE);
    const spec = await loadPipeline(file, testRegistry(), { env: {} });
    expect(spec.name).toBe('v5-to-v5n');
    expect(spec.file).toBe(file);
    expect(spec.stages).toHaveLength(3);
  });

  it('names the file in errors', async () => {
    const file = join(dir(), 'bad.yaml');
    await writeFile(file, edited(8, '    epochs: -3'));
    await expect(loadPipeline(file, testRegistry())).rejects.toThrow(`${file}:8:13: stages[0].epochs: expected a number >= 0, found number -3`);
  });
});
