import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, ConfigLocation, parsePath, parseWith, parseYamlText } from '@yolo-distill/core';

const RUN_PART = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const override = z.string().regex(/^[^=]+=/, 'expected a key.path=value override');
const scalar = z.union([z.string(), z.number(), z.boolean()]);

const schema = z.strictObject({
  /** Names the runs: `<name>-<variant>-seed<n>`. */
  name: z.string().regex(RUN_PART, 'expected a name of letters, digits, . _ -'),
  /** The base pipeline, relative to the sweep file. */
  pipeline: z.string().min(1),
  /** The shared runs folder (relative to the working directory, as a pipeline's `runs:`); default runs/<name>. */
  runs: z.string().min(1).optional(),
  seeds: z.array(z.int().min(0)).min(1).default([0]),
  /** The key each seed is set at. */
  seedKey: z.string().min(1).default('seed'),
  /** Overrides of every run. */
  set: z.array(override).default([]),
  /** Named variants, each a list of overrides (`[]`: the base pipeline as it is). */
  variants: z.record(z.string().regex(RUN_PART, 'expected a variant name of letters, digits, . _ -'), z.array(override)).optional(),
  /** Keys and their values; every combination is a variant (crossed with `variants` when both are given). */
  grid: z.record(z.string(), z.array(scalar).min(1)).optional(),
  /** The variant the report pairs gains against. */
  baseline: z.string().optional(),
  /** The report's metrics: the last value of each in a run's metrics.json history (default: the last validation's mAP@0.5 and mAP@0.5:0.95). */
  metrics: z.array(z.string().min(1)).min(1).default(['val.map50', 'val.map']),
});

export interface SweepRun {
  /** The run's name and the name of its folder in the runs folder. */
  readonly name: string;
  readonly variant: string;
  readonly seed: number;
  /** `--set` overrides of the base pipeline, in order: the sweep's, the variant's, the seed. */
  readonly overrides: readonly string[];
}

export interface Sweep {
  readonly file: string;
  readonly name: string;
  /** Absolute path of the base pipeline. */
  readonly pipeline: string;
  /** Absolute path of the shared runs folder. */
  readonly runsDir: string;
  readonly seeds: readonly number[];
  readonly variants: readonly string[];
  readonly baseline?: string;
  readonly metrics: readonly string[];
  readonly runs: readonly SweepRun[];
}

/** Reads a sweep file and expands it to its runs; mistakes are ConfigErrors with file:line:col and the key. */
export function loadSweep(file: string, env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): Sweep {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError([{ position: { file, line: 1, col: 1 }, path: [], message: `cannot read the sweep file: ${reason}` }]);
  }
  const yaml = parseYamlText(text, file, { env });
  const at = new ConfigLocation(yaml.source);
  const config = parseWith(schema, yaml.value, at);
  const pipeline = resolve(dirname(resolve(cwd, file)), config.pipeline);
  if (!existsSync(pipeline)) throw at.child('pipeline').error(`the base pipeline ${pipeline} does not exist (the path is relative to the sweep file)`);
  if (new Set(config.seeds).size !== config.seeds.length) throw at.child('seeds').error('a seed is listed twice');
  for (const key of [config.seedKey, ...Object.keys(config.grid ?? {})]) checkKey(key, key === config.seedKey ? at.child('seedKey') : at.child('grid').child(key));
  const variants = expandVariants(config.variants, config.grid, at);
  if (config.baseline !== undefined && !variants.has(config.baseline)) {
    throw at.child('baseline').error(`'${config.baseline}' is not a variant of this sweep (its variants: ${[...variants.keys()].join(', ')})`);
  }
  const runs = [...variants].flatMap(([variant, overrides]) =>
    config.seeds.map((seed) => ({ name: `${config.name}-${variant}-seed${seed}`, variant, seed, overrides: [...config.set, ...overrides, `${config.seedKey}=${seed}`] })),
  );
  const runsDir = config.runs === undefined ? resolve(cwd, 'runs', config.name) : isAbsolute(config.runs) ? config.runs : resolve(cwd, config.runs);
  return {
    file,
    name: config.name,
    pipeline,
    runsDir,
    seeds: config.seeds,
    variants: [...variants.keys()],
    ...(config.baseline !== undefined ? { baseline: config.baseline } : {}),
    metrics: config.metrics,
    runs,
  };
}

function checkKey(key: string, at: ConfigLocation): void {
  try {
    parsePath(key);
  } catch (error) {
    throw at.error((error as Error).message);
  }
}

/** Variant name -> overrides: the named variants, each crossed with every grid point (or either alone, or one `base`). */
function expandVariants(named: Record<string, string[]> | undefined, grid: Record<string, (string | number | boolean)[]> | undefined, at: ConfigLocation): Map<string, string[]> {
  const points = gridPoints(grid ?? {});
  const bases: [string, string[]][] = named ? Object.entries(named) : [['', []]];
  if (bases.length === 0) throw at.child('variants').error('expected at least one variant');
  const variants = new Map<string, string[]>();
  for (const [base, overrides] of bases) {
    for (const point of points) {
      const name = [base, point.name].filter((part) => part !== '').join('-') || 'base';
      if (variants.has(name)) throw at.child('grid').error(`two variants are both named '${name}'; rename a variant or a grid key`);
      variants.set(name, [...overrides, ...point.overrides]);
    }
  }
  return variants;
}

function gridPoints(grid: Record<string, (string | number | boolean)[]>): { name: string; overrides: string[] }[] {
  let points = [{ name: '', overrides: [] as string[] }];
  for (const [key, values] of Object.entries(grid)) {
    const label = String(parsePath(key).filter((part) => typeof part === 'string').at(-1) ?? key);
    points = points.flatMap((point) =>
      values.map((value) => ({
        name: [point.name, `${label}${String(value)}`.replace(/[^A-Za-z0-9._-]+/g, '_')].filter((part) => part !== '').join('-'),
        overrides: [...point.overrides, `${key}=${typeof value === 'string' ? JSON.stringify(value) : String(value)}`],
      })),
    );
  }
  return points;
}
