import { SeededRng } from '@yolo-distill/core';
import type { LabelProblem, YoloBox } from '../yolo-labels.js';
import type { CocoCategory, CocoImage, CocoInstances } from './coco-json.js';

/** One object of an image: its class index, its box `[x1, y1, x2, y2]` in pixels (clipped to the image), crowd or not. */
export interface CocoObject {
  readonly annotationId: number;
  readonly cls: number;
  readonly box: readonly [number, number, number, number];
  readonly crowd: boolean;
}

/** An image with its objects (crowd regions included, flagged). */
export interface CocoImageRecord {
  readonly image: CocoImage;
  readonly objects: readonly CocoObject[];
}

/** Class names in category-id order, and each category id's class index. */
export interface CocoClasses {
  readonly classNames: readonly string[];
  readonly classOf: ReadonlyMap<number, number>;
}

/** Categories with arbitrary ids -> contiguous class indices 0..n-1 in increasing id order. */
export function cocoClasses(categories: readonly CocoCategory[]): CocoClasses {
  const sorted = [...categories].sort((a, b) => a.id - b.id);
  return { classNames: sorted.map((category) => category.name), classOf: new Map(sorted.map((category, index) => [category.id, index])) };
}

const formatBox = (bbox: readonly number[]): string => `[${bbox.join(', ')}]`;

/**
 * Groups annotations by image (images in id order) and checks each: its image and category must
 * exist, its box must have a positive size and overlap the image (it is clipped to it). A bad
 * annotation becomes a problem naming `file` and the annotation id, and is left out.
 */
export function indexCocoInstances(instances: CocoInstances, classes: CocoClasses, file: string): { records: CocoImageRecord[]; problems: LabelProblem[]; dropped: number } {
  const problems: LabelProblem[] = [];
  let dropped = 0;
  const objects = new Map<number, CocoObject[]>(instances.images.map((image) => [image.id, []]));
  const images = new Map(instances.images.map((image) => [image.id, image]));
  for (const annotation of instances.annotations) {
    const problem = (message: string): void => {
      problems.push({ file, message: `annotation ${annotation.id}: ${message}` });
      dropped++;
    };
    const image = images.get(annotation.imageId);
    const cls = classes.classOf.get(annotation.categoryId);
    const [x, y, w, h] = annotation.bbox;
    if (!image) {
      // an annotation of a malformed image entry goes with that entry's problem
      if (instances.badImageIds.has(annotation.imageId)) dropped++;
      else problem(`image_id ${annotation.imageId} is not among the images`);
      continue;
    }
    if (cls === undefined) {
      problem(`category_id ${annotation.categoryId} is not among the categories`);
      continue;
    }
    if (w <= 0 || h <= 0) {
      problem(`box ${formatBox(annotation.bbox)} has ${w < 0 || h < 0 ? 'a negative' : 'zero'} size`);
      continue;
    }
    const box: [number, number, number, number] = [Math.max(0, x), Math.max(0, y), Math.min(image.width, x + w), Math.min(image.height, y + h)];
    if (box[2] <= box[0] || box[3] <= box[1]) {
      problem(`box ${formatBox(annotation.bbox)} lies outside image ${image.id} (${image.width}x${image.height})`);
      continue;
    }
    objects.get(image.id)?.push({ annotationId: annotation.id, cls, box, crowd: annotation.iscrowd });
  }
  const records = [...instances.images].sort((a, b) => a.id - b.id).map((image) => ({ image, objects: objects.get(image.id) ?? [] }));
  return { records, problems, dropped };
}

/** The training labels of an image: its non-crowd objects as normalised YOLO boxes. */
export function cocoLabels(record: CocoImageRecord): YoloBox[] {
  const { width, height } = record.image;
  return record.objects
    .filter((object) => !object.crowd)
    .map(({ cls, box: [x1, y1, x2, y2] }) => ({ cls, cx: (x1 + x2) / 2 / width, cy: (y1 + y2) / 2 / height, w: (x2 - x1) / width, h: (y2 - y1) / height }));
}

/**
 * Splits images deterministically: sorted by id, shuffled by a seeded RNG, the first
 * `round(n * fraction)` become val; both parts are returned in id order. The same file, fraction
 * and seed always give the same split.
 */
export function splitByFraction<T extends { readonly image: { readonly id: number } }>(records: readonly T[], fraction: number, seed: number): { train: T[]; val: T[] } {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`the val fraction must be between 0 and 1, got ${fraction}`);
  const sorted = [...records].sort((a, b) => a.image.id - b.image.id);
  const valCount = Math.round(sorted.length * fraction);
  if (valCount === 0 || valCount === sorted.length) {
    throw new RangeError(`a val fraction of ${fraction} of ${sorted.length} images leaves ${valCount === 0 ? 'no val' : 'no train'} images`);
  }
  const order = new SeededRng(seed).fork('coco/val-split').shuffle(sorted.map((_, index) => index));
  const inVal = new Set(order.slice(0, valCount));
  return { train: sorted.filter((_, index) => !inVal.has(index)), val: sorted.filter((_, index) => inVal.has(index)) };
}
