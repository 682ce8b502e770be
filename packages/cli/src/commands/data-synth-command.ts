import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError } from '@yolo-distill/core';
import { DATA_YAML, ensureShapesDataset, resolveShapesOptions, SHAPES_MANIFEST, type ShapesOptions, type ShapesOptionsInput } from '@yolo-distill/data';
import { EXIT, type CliIO } from '../cli-io.js';

/** The flags of `yolo-distill data synth`, as commander hands them over (strings) or as numbers. */
export interface DataSynthOptions {
  /** The dataset folder to write. Default `datasets/shapes`. */
  readonly out?: string;
  /** A number of classes (the first N shapes) or a comma-separated list of shape names. */
  readonly classes?: string | number;
  readonly train?: string | number;
  readonly val?: string | number;
  readonly imgsz?: string | number;
  readonly seed?: string | number;
}

export const DEFAULT_SYNTH_OUT = 'datasets/shapes';

const FLAG_OF: Readonly<Record<string, string>> = { imgsz: '--imgsz', classes: '--classes', train: '--train', val: '--val', seed: '--seed' };

/**
 * `yolo-distill data synth`: writes the synthetic shapes dataset (a YOLO folder with data.yaml) to
 * `--out`, or reuses it when the folder already holds the same options. A non-empty folder that the
 * generator did not make is never replaced. Exit 0 on success, 2 for bad flags or such a folder.
 */
export async function dataSynthCommand(options: DataSynthOptions, io: CliIO): Promise<number> {
  const out = resolve(options.out ?? DEFAULT_SYNTH_OUT);
  let shapes: ShapesOptions;
  try {
    shapes = resolveShapesOptions(synthInput(options));
  } catch (error) {
    if (error instanceof FlagError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.badInput;
    }
    if (error instanceof ConfigError) {
      for (const problem of error.problems) io.stderr(`error: ${FLAG_OF[String(problem.path[0])] ?? String(problem.path[0] ?? 'options')}: ${problem.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
  const refusal = foreignFolder(out);
  if (refusal) {
    io.stderr(`error: --out ${out}: ${refusal}\n`);
    return EXIT.badInput;
  }
  const started = Date.now();
  const done = await ensureShapesDataset(out, shapes);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const what = `${shapes.train} train + ${shapes.val} val images, ${shapes.imageSize}x${shapes.imageSize}, ${shapes.classes.length} classes (${shapes.classes.join(', ')}), seed ${shapes.seed}`;
  io.stdout(done === 'reused' ? `shapes dataset: ${out} already holds ${what}; left as it is\n` : `shapes dataset: ${done} ${what} in ${seconds}s\n`);
  io.stdout(`  ${join(out, DATA_YAML)}\n`);
  const root = relative(process.cwd(), out) || '.';
  io.stdout(`use it in a pipeline: data: { type: data.YoloDataset, root: ${root.startsWith('..') ? out : root}, imgsz: ${shapes.imageSize} }\n`);
  return EXIT.ok;
}

class FlagError extends Error {}

function synthInput(options: DataSynthOptions): ShapesOptionsInput {
  const classes = options.classes === undefined ? undefined : classesOf(options.classes);
  const input: { -readonly [K in keyof ShapesOptionsInput]: ShapesOptionsInput[K] } = {};
  if (classes !== undefined) input.classes = classes;
  const imageSize = wholeNumber('--imgsz', options.imgsz);
  if (imageSize !== undefined) input.imageSize = imageSize;
  const train = wholeNumber('--train', options.train);
  if (train !== undefined) input.train = train;
  const val = wholeNumber('--val', options.val);
  if (val !== undefined) input.val = val;
  const seed = wholeNumber('--seed', options.seed);
  if (seed !== undefined) input.seed = seed;
  return input;
}

function wholeNumber(flag: string, value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  if (!/^\s*\d+\s*$/.test(value)) throw new FlagError(`${flag}: expected a whole number, found '${value}'`);
  return Number(value);
}

function classesOf(value: string | number): number | string[] {
  if (typeof value === 'number') return value;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (names.length === 0) throw new FlagError(`--classes: expected a number of classes or comma-separated shape names, found '${value}'`);
  return names;
}

/** Why `out` must not be written: it is a file, or a non-empty folder without a shapes manifest. */
function foreignFolder(out: string): string | undefined {
  if (!existsSync(out)) return undefined;
  if (!statSync(out).isDirectory()) return 'is a file, not a folder';
  if (readdirSync(out).length === 0 || existsSync(join(out, SHAPES_MANIFEST))) return undefined;
  return `is not empty and was not made by the shapes generator (no ${SHAPES_MANIFEST}); refusing to replace it. Choose another folder or delete this one.`;
}
