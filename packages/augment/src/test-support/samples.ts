import { ConfigLocation, parseYamlText, type AugmentContext, type PluginDescriptor, type Rng, type Sample } from '@yolo-distill/core';

/** A `width x height` image of one colour. */
export function solidSample(width: number, height: number, rgb: readonly [number, number, number], labels: readonly (readonly number[])[] = [], source = 'solid'): Sample {
  const data = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  return { image: { data, width, height }, labels: { rows: Float32Array.from(labels.flat()), count: labels.length }, source };
}

/** An image whose pixel (x, y) holds (x, y, c) / scale: every pixel tells where it came from. */
export function coordinateSample(width: number, height: number, labels: readonly (readonly number[])[] = [], scale = 1000): Sample {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([x / scale, y / scale, 0.5], (y * width + x) * 3);
  }
  return { image: { data, width, height }, labels: { rows: Float32Array.from(labels.flat()), count: labels.length }, source: 'coordinates' };
}

/** Pixel (x, y) as [r, g, b]. */
export function pixel(sample: Sample, x: number, y: number): number[] {
  const at = (y * sample.image.width + x) * 3;
  return Array.from(sample.image.data.subarray(at, at + 3));
}

/** Label rows as plain arrays. */
export function rows(sample: Sample): number[][] {
  return Array.from({ length: sample.labels.count }, (_, i) => Array.from(sample.labels.rows.subarray(i * 5, i * 5 + 5)));
}

/** An AugmentContext whose drawSample hands out the given samples in order. */
export function contextWith(rng: Rng, others: readonly Sample[] = []): AugmentContext {
  let next = 0;
  return {
    rng,
    drawSample: async () => {
      const sample = others[next++];
      if (!sample) throw new Error(`drawSample: only ${others.length} samples scripted`);
      return sample;
    },
  };
}

/** Expects rows equal to `expected` within float32 precision. */
export function expectRows(actual: number[][], expected: number[][], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((value, j) => expect(value, `row ${i} column ${j}`).toBeCloseTo(expected[i]![j]!, digits)));
}

/** Parses `yaml` (the node without its `type`) with a descriptor, as the pipeline loader would, from file `aug.yaml`. */
export function parseYaml<C>(descriptor: PluginDescriptor<C>, yaml: string): C {
  const loaded = parseYamlText(yaml.trim() === '' ? '{}\n' : yaml, 'aug.yaml');
  return descriptor.parse(loaded.value ?? {}, new ConfigLocation(loaded.source));
}
