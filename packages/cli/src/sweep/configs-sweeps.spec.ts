import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePipeline, PluginRegistry } from '@yolo-distill/core';
import { builtinPlugins } from '../builtin-plugins.js';
import { loadSweep } from './sweep-file.js';

// Every sweep in configs/sweeps/ expands, and each of its runs' pipelines (the base with the run's
// overrides) parses with the built-in plugins: every variant's --set names real keys with valid values.
const sweeps = fileURLToPath(new URL('../../../../configs/sweeps/', import.meta.url));
const files = readdirSync(sweeps).filter((name) => name.endsWith('.yaml'));
const registry = new PluginRegistry(builtinPlugins());

describe('configs/sweeps/', () => {
  it('holds the distillation benchmark as a sweep: 4 variants x seeds 1-5, paired against the baseline', () => {
    const sweep = loadSweep(join(sweeps, 'distill-fine128.yaml'), {});
    expect(sweep.variants).toEqual(['baseline', 'joint', 'head-cls', 'joint-cls']);
    expect(sweep.seeds).toEqual([1, 2, 3, 4, 5]);
    expect(sweep.baseline).toBe('baseline');
    expect(sweep.runs[0]?.name).toBe('fine128-baseline-seed1');
  });

  it.each(files)('%s expands and every run parses', (name) => {
    const sweep = loadSweep(join(sweeps, name), {});
    const text = readFileSync(sweep.pipeline, 'utf8');
    for (const run of sweep.runs) {
      const spec = parsePipeline(text, sweep.pipeline, registry, { env: {}, overrides: run.overrides });
      expect(spec.seed, run.name).toBe(run.seed);
      expect(spec.stages.map((stage) => stage.ref.type), run.name).toEqual([run.variant === 'baseline' ? 'trainer.Train' : 'trainer.Distill']);
      expect((spec.stages[0]?.ref.config as { epochs: number }).epochs, run.name).toBe(4);
    }
  });
});
