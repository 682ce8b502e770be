import { SeededRng } from '@yolo-distill/core';
import { manifestMatches, rngProbe, shapesManifest, SHAPES_GENERATOR_VERSION } from './shapes-manifest.js';
import { resolveShapesOptions } from './shapes-options.js';

describe('shapes manifest', () => {
  const options = resolveShapesOptions({ imageSize: 64, train: 4, val: 2 });

  it('records generator, version and every option', () => {
    expect(shapesManifest(options)).toEqual({
      generator: '@yolo-distill/data shapes',
      version: SHAPES_GENERATOR_VERSION,
      rngProbe: rngProbe(0),
      options: {
        imageSize: 64,
        classes: ['circle', 'ellipse', 'square', 'rectangle', 'triangle', 'hexagon'],
        train: 4,
        val: 2,
        objects: [1, 6],
        scale: [0.06, 0.4],
        clutter: [0, 4],
        minVisible: 0.4,
        seed: 0,
      },
    });
  });

  it('matches the same options whatever the key order in the file', () => {
    const { generator, version, rngProbe: probe, options: written } = shapesManifest(options);
    const reordered = { options: Object.fromEntries(Object.entries(written).reverse()), rngProbe: probe, version, generator };
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(shapesManifest(options)));
    expect(manifestMatches(JSON.parse(JSON.stringify(reordered)), options)).toBe(true);
  });

  it('does not match other options, another version, or nothing', () => {
    const json = JSON.parse(JSON.stringify(shapesManifest(options))) as { version: number };
    expect(manifestMatches(json, { ...options, seed: 1 })).toBe(false);
    expect(manifestMatches(json, { ...options, classes: ['circle'] })).toBe(false);
    expect(manifestMatches({ ...json, version: SHAPES_GENERATOR_VERSION + 1 }, options)).toBe(false);
    expect(manifestMatches({ ...json, rngProbe: [1, 2] }, options)).toBe(false); // core's RNG changed since
    expect(manifestMatches(undefined, options)).toBe(false);
    expect(manifestMatches(null, options)).toBe(false);
    expect(manifestMatches({ ...json, options: { imageSize: 64 } }, options)).toBe(false);
  });
});

describe('shapes manifest, fine variant', () => {
  const fine = resolveShapesOptions({ variant: 'fine', imageSize: 128, train: 4, val: 2 });

  it('records the variant and its decoys; a classic manifest has neither key', () => {
    const written = JSON.parse(JSON.stringify(shapesManifest(fine))) as { options: Record<string, unknown> };
    expect(written.options['variant']).toBe('fine');
    expect(written.options['decoys']).toEqual([0, 2]);
    const classic = JSON.parse(JSON.stringify(shapesManifest(resolveShapesOptions({ variant: 'classic' })))) as { options: Record<string, unknown> };
    expect(Object.keys(classic.options)).toEqual(['imageSize', 'classes', 'train', 'val', 'objects', 'scale', 'clutter', 'minVisible', 'seed']);
  });

  it('matches only the same variant and decoys', () => {
    const json = JSON.parse(JSON.stringify(shapesManifest(fine))) as unknown;
    expect(manifestMatches(json, fine)).toBe(true);
    expect(manifestMatches(json, { ...fine, decoys: [0, 3] })).toBe(false);
    const { variant: _variant, decoys: _decoys, ...withoutVariant } = fine;
    expect(manifestMatches(json, withoutVariant)).toBe(false);
  });
});

describe('rngProbe', () => {
  it('is the first two 32-bit draws of the stream of train image 0', () => {
    const rng = new SeededRng(5).fork('shapes/train/0') as SeededRng;
    expect(rngProbe(5)).toEqual([rng.nextUint32(), rng.nextUint32()]);
    expect(rngProbe(6)).not.toEqual(rngProbe(5));
  });
});
