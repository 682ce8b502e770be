import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import type { Detection, GroundTruth, Split } from '@yolo-distill/core';
import { formatLabelProblem, isImageFile, labelPathFor, readDataYaml, readYoloLabels, type LabelProblem } from '@yolo-distill/data';
import { parseCocoResults, parseYoloPredictions, PredictionFileError, type PredictionProblem, type ScoredTruth } from '@yolo-distill/eval';

/** Input the user can fix (a missing folder, a bad label or prediction line): exit code 2, message as is. */
export class EvalInputError extends Error {
  override readonly name = 'EvalInputError';
}

/** One image of the split: where it is, its size (pixels) and its ground truth (xyxy pixels). */
export interface SplitImage {
  readonly path: string;
  readonly stem: string;
  readonly width: number;
  readonly height: number;
  readonly truths: readonly ScoredTruth[];
}

export interface SplitTruth {
  readonly root: string;
  readonly split: Split;
  readonly folder: string;
  readonly classNames: readonly string[];
  readonly images: readonly SplitImage[];
}

const BATCH = 64;

/**
 * The ground truth of one split of a YOLO dataset folder: `data.yaml`'s names and split folder, every
 * image in it (sorted; not recursive, as `data check`), its size from the file header and its label
 * file (`images/` -> `labels/`, a missing file = no objects). Bad labels fail with every problem listed.
 * Size as Ultralytics' `exif_size` takes it: width and height swapped for EXIF orientations 6 and 8.
 */
export async function readSplitTruth(root: string, split: Split): Promise<SplitTruth> {
  let info;
  try {
    info = await readDataYaml(root);
  } catch (error) {
    throw new EvalInputError((error as Error).message);
  }
  const folder = info.splits[split];
  if (folder === undefined) throw new EvalInputError(`${info.file}: no '${split}' entry (the split to evaluate)`);
  let entries: string[];
  try {
    entries = (await readdir(folder)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new EvalInputError(`${folder}: ${split} images folder not found (from ${info.file})`);
    throw error;
  }
  const paths = entries.filter(isImageFile).map((entry) => join(folder, entry));
  if (paths.length === 0) throw new EvalInputError(`${folder}: no images (${split} split of ${info.file})`);
  const problems: LabelProblem[] = [];
  const images: SplitImage[] = [];
  for (let start = 0; start < paths.length; start += BATCH) {
    const batch = await Promise.all(paths.slice(start, start + BATCH).map((path) => readImage(path, info.names.length)));
    for (const item of batch) {
      problems.push(...item.problems);
      images.push(item.image);
    }
  }
  if (problems.length > 0) {
    const listed = problems.slice(0, 20).map(formatLabelProblem);
    if (problems.length > 20) listed.push(`... and ${problems.length - 20} more`);
    throw new EvalInputError(`bad labels in the ${split} split (see also: yolo-distill data check):\n${listed.join('\n')}`);
  }
  return { root, split, folder, classNames: info.names, images };
}

async function readImage(path: string, numClasses: number): Promise<{ image: SplitImage; problems: readonly LabelProblem[] }> {
  let width: number;
  let height: number;
  try {
    const meta = await sharp(path).metadata();
    const transposed = meta.orientation === 6 || meta.orientation === 8;
    width = transposed ? meta.height : meta.width;
    height = transposed ? meta.width : meta.height;
  } catch (error) {
    throw new EvalInputError(`${path}: cannot read the image size: ${(error as Error).message}`);
  }
  const labelPath = labelPathFor(path);
  const labels = await readYoloLabels(labelPath, { file: labelPath, numClasses });
  const truths = labels.boxes.map(
    (b): GroundTruth => ({ cls: b.cls, box: [(b.cx - b.w / 2) * width, (b.cy - b.h / 2) * height, (b.cx + b.w / 2) * width, (b.cy + b.h / 2) * height] }),
  );
  return { image: { path, stem: stemOf(path), width, height, truths }, problems: labels.problems };
}

const stemOf = (path: string): string => basename(path, extname(path));

export interface LoadedPredictions {
  readonly format: 'yolo-txt' | 'coco-json';
  /** Prediction files read (txt) or results in the json. */
  readonly count: number;
  /** Per image of the split, in its order; xyxy pixels. */
  readonly detections: readonly (readonly Detection[])[];
}

/**
 * Predictions for the split's images: a folder of YOLO txt files (`<image stem>.txt`, lines
 * `cls cx cy w h score` normalised; an image without a file has no detections), or a COCO results
 * json (`image_id` = the image's file stem, or its number for numeric stems, as Ultralytics'
 * `save_json` writes it; `category_id - categoryBase` = class). Problems name the file and line (txt)
 * or entry (json); every one is listed.
 */
export async function readPredictions(
  path: string,
  truth: SplitTruth,
  options: { readonly categoryBase?: number; readonly categoryMap?: ReadonlyMap<number, number> } = {},
): Promise<LoadedPredictions> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new EvalInputError(`${path}: predictions not found (a folder of YOLO txt files or a COCO results .json)`);
    throw error;
  }
  const detections: Detection[][] = truth.images.map(() => []);
  const problems: PredictionProblem[] = [];
  const numClasses = truth.classNames.length;
  const stems = new Map<string, number>();
  truth.images.forEach((image, index) => stems.set(image.stem, stems.has(image.stem) ? -1 : index));
  let count = 0;
  let format: LoadedPredictions['format'];

  if (info.isDirectory()) {
    format = 'yolo-txt';
    const files = (await readdir(path)).filter((name) => name.endsWith('.txt')).sort();
    if (files.length === 0) throw new EvalInputError(`${path}: no .txt prediction files (expected one "<image stem>.txt" per image with detections)`);
    for (const name of files) {
      const file = join(path, name);
      const index = stems.get(basename(name, '.txt'));
      if (index === undefined || index < 0) {
        const why = index === undefined ? `no image named ${basename(name, '.txt')}.* in ${truth.folder}` : `more than one image named ${basename(name, '.txt')}.* in ${truth.folder}`;
        problems.push({ file, message: why });
        continue;
      }
      const image = truth.images[index] as SplitImage;
      const parsed = parseYoloPredictions(await readFile(file, 'utf8'), { file, numClasses });
      problems.push(...parsed.problems);
      for (const p of parsed.predictions) {
        const { width: w, height: h } = image;
        (detections[index] as Detection[]).push({
          cls: p.cls,
          score: p.score,
          box: [(p.cx - p.w / 2) * w, (p.cy - p.h / 2) * h, (p.cx + p.w / 2) * w, (p.cy + p.h / 2) * h],
        });
      }
      count += 1;
    }
  } else {
    format = 'coco-json';
    // Against a COCO ground-truth file, category ids are that file's (any ids, mapped to classes); else class + base.
    const map = options.categoryMap;
    const parsed = parseCocoResults(await readFile(path, 'utf8'), map ? { file: path } : { file: path, numClasses, categoryBase: options.categoryBase ?? 0 });
    problems.push(...parsed.problems);
    const byId = imageIds(truth);
    parsed.results.forEach((r) => {
      const key = typeof r.imageId === 'number' ? `n:${r.imageId}` : `s:${r.imageId}`;
      const index = byId.get(key) ?? (typeof r.imageId === 'number' ? byId.get(`s:${r.imageId}`) : undefined);
      if (index === undefined || index < 0) {
        const why = index === undefined ? `names no image of the ${truth.split} split (${truth.folder})` : `names more than one image of the ${truth.split} split`;
        problems.push({ file: path, message: `image_id ${JSON.stringify(r.imageId)} ${why}` });
        return;
      }
      const cls = map ? map.get(r.cls) : r.cls;
      if (cls === undefined) {
        problems.push({ file: path, message: `category_id ${r.cls} is not a category of the ground truth ${truth.folder}` });
        return;
      }
      const [x, y, w, h] = r.box;
      (detections[index] as Detection[]).push({ cls, score: r.score, box: [x, y, x + w, y + h] });
      count += 1;
    });
  }
  if (problems.length > 0) throw new EvalInputError(`bad predictions:\n${new PredictionFileError(problems).message}`);
  return { format, count, detections };
}

/** `s:<stem>` for every image, and `n:<number>` for numeric stems (`000139` -> 139); -1 marks a clash. */
function imageIds(truth: SplitTruth): Map<string, number> {
  const ids = new Map<string, number>();
  const add = (key: string, index: number) => ids.set(key, ids.has(key) ? -1 : index);
  truth.images.forEach((image, index) => {
    add(`s:${image.stem}`, index);
    if (/^\d+$/.test(image.stem)) add(`n:${Number(image.stem)}`, index);
  });
  return ids;
}
