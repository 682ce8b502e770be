import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SeededRng, writeDirectoryAtomic, type Split } from '@yolo-distill/core';
import { encodePng } from '../image-decode.js';
import { DATA_YAML, formatDataYaml } from '../yolo-data-yaml.js';
import { formatYoloLabels, type YoloBox } from '../yolo-labels.js';
import { renderScene, type SceneSpec } from './scene.js';
import { sceneLabels } from './scene-labels.js';
import { planScene } from './scene-plan.js';
import { formatShapesManifest, manifestMatches, readShapesManifest, SHAPES_MANIFEST, shapesManifest } from './shapes-manifest.js';
import type { ShapesOptions } from './shapes-options.js';

const SPLITS: readonly Split[] = ['train', 'val'];
/** Images encoded at once; sharp encodes on its own threads while the next images are drawn. */
const ENCODE_BATCH = 8;

/** One generated image: what was planned, its 8-bit RGB pixels and its labels. */
export interface ShapesImage {
  readonly scene: SceneSpec;
  readonly pixels: Uint8Array;
  readonly labels: readonly YoloBox[];
}

/** The file name (without extension) of image `index`: six digits, `000042`. */
export const shapesImageName = (index: number): string => String(index).padStart(6, '0');

/** Draws image `index` of `split`. Each image has its own random stream, so changing `train` leaves `val` alone. */
export function renderShapesImage(options: ShapesOptions, split: Split, index: number): ShapesImage {
  const rng = new SeededRng(options.seed).fork(`shapes/${split}/${index}`); // rngProbe in shapes-manifest.ts mirrors this
  const scene = planScene(options, rng);
  const rendered = renderScene(scene);
  return { scene, pixels: rendered.pixels, labels: sceneLabels(rendered.shapes, scene.width, scene.height, options.classes, options.minVisible) };
}

/**
 * Writes a complete shapes dataset at `root` (replacing whatever is there): `images/{train,val}/*.png`,
 * `labels/{train,val}/*.txt`, `data.yaml` and `shapes.json`. Everything is written into a temporary
 * sibling folder that is renamed to `root` at the end, so an interrupted generation leaves no half dataset.
 */
export async function generateShapesDataset(root: string, options: ShapesOptions): Promise<void> {
  const target = resolve(root);
  await removeStaleTemporaries(target);
  await writeDirectoryAtomic(target, async (folder) => {
    for (const split of SPLITS) {
      await mkdir(join(folder, 'images', split), { recursive: true });
      await mkdir(join(folder, 'labels', split), { recursive: true });
      const count = options[split];
      for (let start = 0; start < count; start += ENCODE_BATCH) {
        const writes: Promise<void>[] = [];
        for (let index = start; index < Math.min(count, start + ENCODE_BATCH); index++) {
          const image = renderShapesImage(options, split, index);
          const name = shapesImageName(index);
          writes.push(
            encodePng(image.pixels, options.imageSize, options.imageSize).then((png) => writeFile(join(folder, 'images', split, `${name}.png`), png)),
            writeFile(join(folder, 'labels', split, `${name}.txt`), formatYoloLabels(image.labels)),
          );
        }
        await Promise.all(writes);
      }
    }
    await writeFile(join(folder, DATA_YAML), formatDataYaml({ path: '.', train: 'images/train', val: 'images/val', names: options.classes }));
    // written last: a folder with shapes.json is complete
    await writeFile(join(folder, SHAPES_MANIFEST), formatShapesManifest(shapesManifest(options)));
  });
}

/** What `ensureShapesDataset` did. */
export type ShapesPreparation = 'generated' | 'reused' | 'regenerated';

/**
 * Makes sure `root` holds the shapes dataset of `options`: reuses it when its `shapes.json` records
 * the same options and generator version (and its image counts are right), regenerates it when the
 * `shapes.json` differs (unless `regenerate: false`: then that is an error) or files went missing, and
 * generates it when `root` is missing or empty. A non-empty folder without
 * `shapes.json` was not made by this generator: it is never replaced, that is an error.
 */
export async function ensureShapesDataset(root: string, options: ShapesOptions, { regenerate = true }: { readonly regenerate?: boolean } = {}): Promise<ShapesPreparation> {
  const target = resolve(root);
  const entries = await listFolder(target);
  if (entries === undefined || entries.length === 0) {
    await generateShapesDataset(target, options);
    return 'generated';
  }
  const manifest = await readShapesManifest(target);
  if (manifest === undefined) {
    throw new Error(
      `${target} is not empty and has no ${SHAPES_MANIFEST}, so it was not made by the shapes generator; ` +
        `refusing to replace it. Point 'root' at another folder, or delete this one.`,
    );
  }
  const sameOptions = manifestMatches(manifest, options);
  if (sameOptions && (await countsMatch(target, options))) return 'reused';
  if (!sameOptions && !regenerate) {
    throw new Error(
      `${target} holds a shapes dataset generated with other settings (${describeDifference(manifest, options)}); refusing to regenerate it in place, ` +
        `which would change the data of every run that uses it. Point 'root' at another folder, or set 'regenerate: true' on data.Shapes.`,
    );
  }
  await generateShapesDataset(target, options);
  return 'regenerated';
}

async function listFolder(path: string): Promise<string[] | undefined> {
  try {
    return await readdir(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new Error(`${path} is a file, not a dataset folder`);
    throw error;
  }
}

async function countsMatch(root: string, options: ShapesOptions): Promise<boolean> {
  for (const split of SPLITS) {
    for (const [folder, extension] of [
      ['images', '.png'],
      ['labels', '.txt'],
    ] as const) {
      const files = (await listFolder(join(root, folder, split))) ?? [];
      if (files.filter((file) => file.endsWith(extension)).length !== options[split]) return false;
    }
  }
  return true;
}

/**
 * Removes temporary siblings of `root` left by generations that were killed (`<name>.tmp-<pid>-<hex>`,
 * the names core's writeDirectoryAtomic uses) whose process is gone. A live process's folder is left alone.
 */
export async function removeStaleTemporaries(root: string): Promise<string[]> {
  const parent = dirname(root);
  const pattern = new RegExp(`^${basename(root).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.tmp-(\\d+)-[0-9a-f]+$`);
  const removed: string[] = [];
  for (const entry of (await listFolder(parent)) ?? []) {
    const match = pattern.exec(entry);
    if (!match || isAlive(Number(match[1]))) continue;
    const path = join(parent, entry);
    if (!(await stat(path)).isDirectory()) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Which recorded options differ from the wanted ones, e.g. `train 16 -> 64, imageSize 64 -> 128`. */
function describeDifference(found: unknown, options: ShapesOptions): string {
  const recorded = (found as { options?: Record<string, unknown> } | undefined)?.options ?? {};
  const wanted = shapesManifest(options).options as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(recorded), ...Object.keys(wanted)])];
  const changed = keys.filter((key) => JSON.stringify(recorded[key]) !== JSON.stringify(wanted[key]));
  const shown = changed.slice(0, 4).map((key) => `${key} ${JSON.stringify(recorded[key]) ?? 'unset'} -> ${JSON.stringify(wanted[key]) ?? 'unset'}`);
  return changed.length === 0 ? 'another generator version' : `${shown.join(', ')}${changed.length > 4 ? `, and ${changed.length - 4} more` : ''}`;
}
