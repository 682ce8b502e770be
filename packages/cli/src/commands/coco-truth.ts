import type { Split } from '@yolo-distill/core';
import { cocoClasses, formatLabelProblem, parseCocoInstances, readJsonFile } from '@yolo-distill/data';
import type { ScoredTruth } from '@yolo-distill/eval';
import { EvalInputError, type SplitImage, type SplitTruth } from './eval-inputs.js';

/** A COCO ground-truth file as a split: every image (stem = its id), class = category in id order. */
export interface CocoTruth extends SplitTruth {
  /** COCO category id -> class index (results name categories by id, as pycocotools matches them). */
  readonly classOf: ReadonlyMap<number, number>;
}

/** Each annotation's `area` (pycocotools files small / medium / large by it), by annotation id. */
function annotationAreas(value: unknown): Map<number, number> {
  const areas = new Map<number, number>();
  const list = (value as { annotations?: unknown }).annotations;
  if (!Array.isArray(list)) return areas;
  for (const entry of list as { id?: unknown; area?: unknown }[]) {
    if (typeof entry?.id === 'number' && typeof entry.area === 'number' && Number.isFinite(entry.area) && entry.area >= 0) areas.set(entry.id, entry.area);
  }
  return areas;
}

/**
 * The ground truth of a COCO instances file (`eval --predictions dets.json --data gt.json`): images in
 * id order, boxes `bbox` [x, y, w, h] in pixels, `iscrowd` honoured, `area` used for the area ranges
 * (the box's own area where a file has none). Problems name the file and the entry.
 */
export async function readCocoTruth(file: string): Promise<CocoTruth> {
  let value: unknown;
  let parsed;
  try {
    value = await readJsonFile(file);
    parsed = parseCocoInstances(value, file);
  } catch (error) {
    throw new EvalInputError((error as Error).message);
  }
  if (parsed.problems.length > 0) throw new EvalInputError(`bad COCO ground truth:\n${parsed.problems.slice(0, 20).map(formatLabelProblem).join('\n')}`);
  const { images, annotations, categories } = parsed.instances;
  const classes = cocoClasses(categories);
  const areas = annotationAreas(value);
  const byImage = new Map<number, ScoredTruth[]>(images.map((image) => [image.id, []]));
  const problems: string[] = [];
  for (const a of annotations) {
    const list = byImage.get(a.imageId);
    const cls = classes.classOf.get(a.categoryId);
    if (!list) problems.push(`${file}: annotation ${a.id}: image_id ${a.imageId} is not an image of the file`);
    else if (cls === undefined) problems.push(`${file}: annotation ${a.id}: category_id ${a.categoryId} is not a category of the file`);
    else {
      const [x, y, w, h] = a.bbox;
      const area = areas.get(a.id);
      list.push({ cls, box: [x, y, x + w, y + h], ...(a.iscrowd ? { crowd: true } : {}), ...(area !== undefined ? { area } : {}) });
    }
  }
  if (problems.length > 0) throw new EvalInputError(`bad COCO ground truth:\n${problems.slice(0, 20).join('\n')}`);
  const sorted = [...images].sort((p, q) => p.id - q.id);
  const splitImages: SplitImage[] = sorted.map((image) => ({ path: image.fileName, stem: String(image.id), width: image.width, height: image.height, truths: byImage.get(image.id) ?? [] }));
  return { root: file, split: 'val' as Split, folder: file, classNames: classes.classNames, images: splitImages, classOf: classes.classOf };
}
