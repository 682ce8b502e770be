import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { ConfigLocation } from './config-location.js';
import { InlineConfigSource } from './config-source.js';
import { parseWith } from './parse-with.js';
import { parseYamlText } from './yaml-loader.js';

const trainSchema = z.strictObject({
  epochs: z.int().min(1),
  lr: z.number().positive(),
  mode: z.enum(['fast', 'slow']).default('fast'),
  tag: z.string().min(1).optional(),
  taps: z.array(z.string()).min(1).max(3).optional(),
  ratio: z.number().max(1).optional(),
  name: z.string().regex(/^[a-z]+$/, 'lower-case letters only').optional(),
});
const schema = z.strictObject({ train: trainSchema });

/** Parses `text` as YAML and validates it; returns the problems' lines (or throws if it validates). */
function problemsOf(text: string, rootSchema: z.ZodType = schema): string[] {
  const loaded = parseYamlText(text, 'p.yaml', { env: {} });
  try {
    parseWith(rootSchema, loaded.value, new ConfigLocation(loaded.source));
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('parseWith', () => {
  it('returns the parsed value with defaults', () => {
    const loaded = parseYamlText('train:\n  epochs: 3\n  lr: 0.1\n', 'p.yaml');
    expect(parseWith(schema, loaded.value, new ConfigLocation(loaded.source))).toEqual({ train: { epochs: 3, lr: 0.1, mode: 'fast' } });
  });

  it('puts a missing field at the key of its parent', () => {
    expect(problemsOf('train:\n  lr: 0.1\n')).toEqual(["p.yaml:1:1: train: missing required field 'epochs' (expected a number)"]);
  });

  it('says what was expected and what was found for a wrong type', () => {
    expect(problemsOf('train:\n  epochs: ten\n  lr: 0.1\n')).toEqual(['p.yaml:2:11: train.epochs: expected a number, found string "ten"']);
    expect(problemsOf('train:\n  epochs: 2.5\n  lr: 0.1\n')).toEqual(['p.yaml:2:11: train.epochs: expected an integer, found number 2.5']);
    expect(problemsOf('train:\n  epochs: 2\n  lr: [1]\n')).toEqual(['p.yaml:3:7: train.lr: expected a number, found a list of 1']);
    expect(problemsOf('train:\n  epochs: 2\n  lr:\n')).toEqual(['p.yaml:3:6: train.lr: expected a number, found null']);
    expect(problemsOf('train: 5\n')).toEqual(['p.yaml:1:8: train: expected a mapping, found number 5']);
  });

  it('states bounds for too small values, lists and strings', () => {
    expect(problemsOf('train:\n  epochs: 0\n  lr: 0.1\n')).toEqual(['p.yaml:2:11: train.epochs: expected a number >= 1, found number 0']);
    expect(problemsOf('train:\n  epochs: 1\n  lr: -0.5\n')).toEqual(['p.yaml:3:7: train.lr: expected a number > 0, found number -0.5']);
    expect(problemsOf('train: { epochs: 1, lr: 1, taps: [] }\n')).toEqual(['p.yaml:1:34: train.taps: expected at least 1 item(s), found 0']);
    expect(problemsOf("train: { epochs: 1, lr: 1, tag: '' }\n")).toEqual(['p.yaml:1:33: train.tag: expected a non-empty string of length >= 1, found string ""']);
  });

  it('states bounds for too big values and lists', () => {
    expect(problemsOf('train: { epochs: 1, lr: 1, ratio: 1.5 }\n')).toEqual(['p.yaml:1:35: train.ratio: expected a value <= 1, found number 1.5']);
    expect(problemsOf('train: { epochs: 1, lr: 1, taps: [a, b, c, d] }\n')).toEqual(['p.yaml:1:34: train.taps: expected at most 3 item(s), found 4']);
  });

  it('lists the allowed values of an enum', () => {
    expect(problemsOf('train: { epochs: 1, lr: 1, mode: turbo }\n')).toEqual(['p.yaml:1:34: train.mode: expected one of "fast", "slow", found string "turbo"']);
  });

  it('keeps custom messages and adds what was found', () => {
    expect(problemsOf('train: { epochs: 1, lr: 1, name: Big }\n')).toEqual(['p.yaml:1:34: train.name: lower-case letters only, found string "Big"']);
  });

  it('reports a typo once, as an unknown key with a suggestion, at the key', () => {
    expect(problemsOf('train:\n  epoch: 3\n  lr: 0.1\n')).toEqual(["p.yaml:2:3: train.epoch: unknown key 'epoch' (did you mean 'epochs'?)"]);
  });

  it('lists the known keys when no key is close', () => {
    expect(problemsOf('train:\n  epochs: 3\n  lr: 0.1\n  colour: red\n')).toEqual([
      "p.yaml:4:3: train.colour: unknown key 'colour'; known keys: epochs, lr, mode, tag, taps, ratio, name",
    ]);
  });

  it('still reports a missing field that no unknown key explains', () => {
    expect(problemsOf('train:\n  lr: 0.1\n  mod: fast\n')).toEqual([
      "p.yaml:1:1: train: missing required field 'epochs' (expected a number)",
      "p.yaml:3:3: train.mod: unknown key 'mod' (did you mean 'mode'?)",
    ]);
  });

  it('reports every problem, each at its own place', () => {
    expect(problemsOf('train:\n  epochs: -1\n  lr: x\n  mode: 3\n')).toEqual([
      'p.yaml:2:11: train.epochs: expected a number >= 1, found number -1',
      'p.yaml:3:7: train.lr: expected a number, found string "x"',
      'p.yaml:4:9: train.mode: expected one of "fast", "slow", found number 3',
    ]);
  });

  it('prefixes paths with the location it was given', () => {
    const loaded = parseYamlText('stages:\n  - epochs: 0\n    lr: 1\n', 'p.yaml');
    const stage = (loaded.value as { stages: unknown[] }).stages[0];
    const at = new ConfigLocation(loaded.source).child('stages').child(0);
    expect(() => parseWith(trainSchema, stage, at)).toThrow('p.yaml:2:13: stages[0].epochs: expected a number >= 1, found number 0');
  });

  it('says "found nothing" when the whole value is missing', () => {
    const at = new ConfigLocation(new InlineConfigSource('code'), ['data']);
    expect(() => parseWith(trainSchema, undefined, at)).toThrow('code:1:1: data: expected a mapping, found nothing');
  });
});
