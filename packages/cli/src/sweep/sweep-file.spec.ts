import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@yolo-distill/core';
import { runCli } from '../cli.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';
import { testPlugin } from '../test-support/counting-stage.js';
import { loadSweep } from './sweep-file.js';

const box = cliSandbox('yd-sweep-file-');

function files(sweep: string): string {
  writeFileSync(join(box.dir, 'walk.yaml'), 'name: walk\nseed: 0\nstages:\n  - { name: walk, type: test.Counting, epochs: 2 }\n');
  const file = join(box.dir, 'walk.sweep.yaml');
  writeFileSync(file, sweep);
  return file;
}

const problemsOf = (file: string): string[] => {
  try {
    loadSweep(file, {}, box.dir);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('sweep files', () => {
  it('expands variants x grid x seeds to named runs with their overrides, the pipeline relative to the sweep file', () => {
    const file = files(
      'name: w\npipeline: walk.yaml\nseeds: [1, 2]\nset: ["stages[0].epochs=3"]\nbaseline: plain-lr0.1\nmetrics: [value]\n' +
        'variants:\n  plain: []\n  slow: ["stages[0].sleepMs=5"]\ngrid:\n  stages[0].lr: [0.1, 0.5]\n',
    );
    const sweep = loadSweep(file, {}, box.dir);
    expect(sweep.pipeline).toBe(join(box.dir, 'walk.yaml'));
    expect(sweep.runsDir).toBe(join(box.dir, 'runs', 'w'));
    expect(sweep.variants).toEqual(['plain-lr0.1', 'plain-lr0.5', 'slow-lr0.1', 'slow-lr0.5']);
    expect(sweep.runs.map((run) => run.name)).toEqual([
      'w-plain-lr0.1-seed1', 'w-plain-lr0.1-seed2', 'w-plain-lr0.5-seed1', 'w-plain-lr0.5-seed2',
      'w-slow-lr0.1-seed1', 'w-slow-lr0.1-seed2', 'w-slow-lr0.5-seed1', 'w-slow-lr0.5-seed2',
    ]);
    expect(sweep.runs[6]?.overrides).toEqual(['stages[0].epochs=3', 'stages[0].sleepMs=5', 'stages[0].lr=0.5', 'seed=1']);
  });

  it('has one variant named base without variants or grid, seed 0 without seeds, and reports mAP@0.5 and mAP@0.5:0.95 by default', () => {
    const sweep = loadSweep(files('name: w\npipeline: walk.yaml\nruns: out\n'), {}, box.dir);
    expect(sweep.runs).toEqual([{ name: 'w-base-seed0', variant: 'base', seed: 0, overrides: ['seed=0'] }]);
    expect(sweep.runsDir).toBe(join(box.dir, 'out'));
    // The trainer's validation metrics (the last validation's, as metrics.json records them).
    expect(sweep.metrics).toEqual(['val.map50', 'val.map']);
  });

  it('names the file, line, column and key of each mistake', () => {
    const file = files('name: w\npipeline: walk.yaml\nseeds: [1, x]\nvariants:\n  plain: [oops]\nbaseline: plain\nmetric: [value]\n');
    expect(problemsOf(file)).toEqual([
      `${file}:3:12: seeds[1]: expected a number, found string "x"`,
      `${file}:5:11: variants.plain[0]: expected a key.path=value override, found string "oops"`,
      `${file}:7:1: metric: unknown key 'metric' (did you mean 'metrics'?)`,
    ]);
  });

  it('says when the baseline is not a variant, and when the base pipeline is missing', () => {
    expect(problemsOf(files('name: w\npipeline: walk.yaml\nvariants: { a: [], b: [] }\nbaseline: c\n'))).toEqual([
      `${join(box.dir, 'walk.sweep.yaml')}:4:11: baseline: 'c' is not a variant of this sweep (its variants: a, b)`,
    ]);
    expect(problemsOf(files('name: w\npipeline: nowhere.yaml\n'))).toEqual([
      `${join(box.dir, 'walk.sweep.yaml')}:2:11: pipeline: the base pipeline ${join(box.dir, 'nowhere.yaml')} does not exist (the path is relative to the sweep file)`,
    ]);
  });

  it('sweep refuses a variant override the pipeline does not have before running anything, with file:line of the pipeline', async () => {
    const file = files('name: w\npipeline: walk.yaml\nvariants:\n  bad: ["stages[0].epoch=3"]\n');
    const err: string[] = [];
    const code = await runCli(['sweep', file], { io: { stdout: () => undefined, stderr: (text) => void err.push(text), interactive: false, env: {} }, plugins: [testPlugin] });
    expect(code).toBe(2);
    expect(err.join('')).toContain(`${join(box.dir, 'walk.yaml')}`);
    expect(err.join('')).toContain("unknown key 'epoch' (did you mean 'epochs'?)");
  });

  it('sweep of a bad file exits 2 with the file:line error', async () => {
    const file = files('name: w\npipeline: walk.yaml\nseeds: []\n');
    const err: string[] = [];
    expect(await runCli(['sweep', file], { io: { stdout: () => undefined, stderr: (text) => void err.push(text), interactive: false, env: {} }, plugins: [testPlugin] })).toBe(2);
    expect(err.join('').trim()).toBe(`${file}:3:8: seeds: expected at least 1 item(s), found 0`);
  });
});
