import { createHash } from 'node:crypto';
import { formatYoloLabels } from '../yolo-labels.js';
import { renderShapesImage } from './generate-shapes.js';
import { formatShapesManifest, shapesManifest } from './shapes-manifest.js';
import { resolveShapesOptions, type ShapesOptions, type ShapesOptionsInput } from './shapes-options.js';

/** sha256 of every image's pixels and labels (train then val) and of the manifest text. */
function checksum(options: ShapesOptions): string {
  const hash = createHash('sha256');
  for (const split of ['train', 'val'] as const) {
    for (let index = 0; index < options[split]; index++) {
      const image = renderShapesImage(options, split, index);
      hash.update(image.pixels);
      hash.update(formatYoloLabels(image.labels));
    }
  }
  hash.update(formatShapesManifest(shapesManifest(options)));
  return hash.digest('hex');
}

// computed from the generator as it was before the fine variant was added (commit 3e9e257)
const cases: readonly (readonly [string, ShapesOptionsInput, string])[] = [
  ['defaults at 64 px', { imageSize: 64, train: 6, val: 3 }, '3659985414ed794eb3798e2456cdea61eb90b524244f9425aa1241d25a86c2ca'],
  [
    'crowded, a subset of classes, seed 7',
    { imageSize: 96, train: 4, val: 2, objects: [3, 8], clutter: [2, 5], classes: ['hexagon', 'circle', 'triangle'], minVisible: 0.5, seed: 7 },
    '9561e92759a51621c520a0a3a5f542dc86516bff2c00700fc1f6b073987c779a',
  ],
];

describe('the classic shapes variant', () => {
  it.each(cases)('draws exactly what it drew before variants existed: %s', (_, input, expected) => {
    expect(checksum(resolveShapesOptions(input))).toBe(expected);
  });

  it('says so explicitly: variant classic is the same dataset as no variant', () => {
    const [, input, expected] = cases[0] as (typeof cases)[number];
    expect(checksum(resolveShapesOptions({ ...input, variant: 'classic' }))).toBe(expected);
  });
});
