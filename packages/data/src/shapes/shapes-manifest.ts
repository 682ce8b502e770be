import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SeededRng } from '@yolo-distill/core';
import { canonicalOptions, type ShapesOptions } from './shapes-options.js';

export const SHAPES_MANIFEST = 'shapes.json';
export const SHAPES_GENERATOR = '@yolo-distill/data shapes';
/** Bump when the same options would give different images or labels (drawing, planning, file layout). */
export const SHAPES_GENERATOR_VERSION = 1;

/**
 * What `shapes.json` holds: which generator, which version of it, the options it ran with, and the
 * first draws of the random stream of image 0, so that a change in core's RNG also counts as a change.
 */
export interface ShapesManifest {
  readonly generator: string;
  readonly version: number;
  readonly rngProbe: readonly number[];
  readonly options: ShapesOptions;
}

/** The first draws (as 32-bit integers) of the stream `renderShapesImage` uses for train image 0. */
export function rngProbe(seed: number): number[] {
  const rng = new SeededRng(seed).fork('shapes/train/0');
  return [rng.next(), rng.next()].map((value) => Math.floor(value * 2 ** 32));
}

export function shapesManifest(options: ShapesOptions): ShapesManifest {
  return { generator: SHAPES_GENERATOR, version: SHAPES_GENERATOR_VERSION, rngProbe: rngProbe(options.seed), options: canonicalOptions(options) };
}

export function formatShapesManifest(manifest: ShapesManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The manifest in `root`: its parsed JSON, `undefined` when there is none, `null` when it is not JSON. */
export async function readShapesManifest(root: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(join(root, SHAPES_MANIFEST), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Whether a manifest read from disk describes exactly `options` at this generator version (key order aside). */
export function manifestMatches(found: unknown, options: ShapesOptions): boolean {
  const expected = shapesManifest(options);
  if (!isRecord(found) || found['generator'] !== expected.generator || found['version'] !== expected.version || !isRecord(found['options'])) return false;
  if (JSON.stringify(found['rngProbe']) !== JSON.stringify(expected.rngProbe)) return false;
  try {
    return JSON.stringify(canonicalOptions(found['options'] as unknown as ShapesOptions)) === JSON.stringify(expected.options);
  } catch {
    return false; // options of another shape
  }
}
