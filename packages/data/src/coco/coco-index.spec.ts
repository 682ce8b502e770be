import { cocoClasses, cocoLabels, indexCocoInstances, splitByFraction } from './coco-index.js';
import type { CocoInstances } from './coco-json.js';

const instances = (annotations: CocoInstances['annotations'], badImageIds: number[] = []): CocoInstances => ({
  images: [
    { id: 7, fileName: 'b.jpg', width: 200, height: 100 },
    { id: 2, fileName: 'a.jpg', width: 100, height: 50 },
  ],
  annotations,
  categories: [
    { id: 90, name: 'toothbrush' },
    { id: 1, name: 'person' },
    { id: 18, name: 'dog' },
  ],
  badImageIds: new Set(badImageIds),
});

const annotation = (id: number, imageId: number, categoryId: number, bbox: [number, number, number, number], iscrowd = false) => ({ id, imageId, categoryId, bbox, iscrowd });

describe('cocoClasses', () => {
  it('maps arbitrary category ids to 0..n-1 in id order', () => {
    const classes = cocoClasses(instances([]).categories);
    expect(classes.classNames).toEqual(['person', 'dog', 'toothbrush']);
    expect([...classes.classOf]).toEqual([
      [1, 0],
      [18, 1],
      [90, 2],
    ]);
  });
});

describe('indexCocoInstances', () => {
  it('groups objects by image in id order, clipping boxes to the image; crowds are flagged and not labels', () => {
    const data = instances([annotation(1, 7, 18, [20, 10, 40, 20]), annotation(2, 7, 90, [-10, 90, 30, 20]), annotation(3, 2, 1, [0, 0, 100, 50], true)]);
    const { records, problems, dropped } = indexCocoInstances(data, cocoClasses(data.categories), 'ann.json');
    expect([problems, dropped]).toEqual([[], 0]);
    expect(records.map((record) => record.image.id)).toEqual([2, 7]);
    expect(records[1]?.objects).toEqual([
      { annotationId: 1, cls: 1, box: [20, 10, 60, 30], crowd: false },
      // x -10..20 -> 0..20, y 90..110 -> 90..100
      { annotationId: 2, cls: 2, box: [0, 90, 20, 100], crowd: false },
    ]);
    // box (20, 10, 40x20) of 200x100: centre (40, 20) -> (0.2, 0.2), size (0.2, 0.2); the clipped one: centre (10, 95), 20x10
    expect(cocoLabels(records[1]!)).toEqual([
      { cls: 1, cx: 0.2, cy: 0.2, w: 0.2, h: 0.2 },
      { cls: 2, cx: 0.05, cy: 0.95, w: 0.1, h: 0.1 },
    ]);
    expect(records[0]?.objects).toEqual([{ annotationId: 3, cls: 0, box: [0, 0, 100, 50], crowd: true }]);
    expect(cocoLabels(records[0]!)).toEqual([]);
  });

  it('reports bad annotations with the file and annotation id, and drops them', () => {
    const data = instances(
      [
        annotation(11, 7, 1, [10, 10, 0, 5]),
        annotation(12, 7, 1, [10, 10, 5, -1]),
        annotation(13, 99, 1, [0, 0, 1, 1]),
        annotation(14, 7, 5, [0, 0, 1, 1]),
        annotation(15, 7, 1, [300, 10, 5, 5]),
        annotation(16, 3, 1, [0, 0, 1, 1]),
        annotation(17, 7, 1, [0, 0, 1, 1]),
      ],
      [3],
    );
    const { records, problems, dropped } = indexCocoInstances(data, cocoClasses(data.categories), 'ann.json');
    expect(problems.map((problem) => `${problem.file}: ${problem.message}`)).toEqual([
      'ann.json: annotation 11: box [10, 10, 0, 5] has zero size',
      'ann.json: annotation 12: box [10, 10, 5, -1] has a negative size',
      'ann.json: annotation 13: image_id 99 is not among the images',
      'ann.json: annotation 14: category_id 5 is not among the categories',
      'ann.json: annotation 15: box [300, 10, 5, 5] lies outside image 7 (200x100)',
    ]);
    // 16 belongs to a malformed image entry, reported with it
    expect(dropped).toBe(6);
    expect(records[1]?.objects.map((object) => object.annotationId)).toEqual([17]);
  });
});

describe('splitByFraction', () => {
  const records = Array.from({ length: 10 }, (_, i) => ({ image: { id: 100 - i * 3 } }));

  it('takes round(n * fraction) images for val, the same every time, both parts in id order', () => {
    const a = splitByFraction(records, 0.25, 0);
    expect([a.train.length, a.val.length]).toEqual([7, 3]); // round(2.5) = 3
    const ids = (part: { image: { id: number } }[]) => part.map((record) => record.image.id);
    expect(ids(a.val)).toEqual([...ids(a.val)].sort((x, y) => x - y));
    expect(ids(splitByFraction([...records].reverse(), 0.25, 0).val)).toEqual(ids(a.val));
    expect(new Set([...ids(a.train), ...ids(a.val)]).size).toBe(10);
    const seeds = Array.from({ length: 8 }, (_, seed) => ids(splitByFraction(records, 0.25, seed).val).join(','));
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });

  it('refuses fractions that leave a split empty', () => {
    expect(() => splitByFraction(records, 0.01, 0)).toThrow('a val fraction of 0.01 of 10 images leaves no val images');
    expect(() => splitByFraction(records, 0.99, 0)).toThrow('a val fraction of 0.99 of 10 images leaves no train images');
    expect(() => splitByFraction(records, 1, 0)).toThrow('the val fraction must be between 0 and 1, got 1');
  });
});
