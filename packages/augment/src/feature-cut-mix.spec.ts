import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { SeededRng, type Tensor4D } from '@yolo-distill/core';
import { boxCells, cutMixMaps, drawCutBox, FeatureCutMix, featureCutMixAugmentation } from './feature-cut-mix.js';
import { ScriptedRng } from './test-support/scripted-rng.js';
import { parseYaml } from './test-support/samples.js';

/** A [2, size, size, channels] map: sample n, cell (y, x), channel c holds 100·n + y·size + x + 1000·c. */
function map(size: number, channels = 1): Tensor4D {
  const values = new Float32Array(2 * size * size * channels);
  for (let n = 0; n < 2; n++) {
    for (let i = 0; i < size * size; i++) {
      for (let c = 0; c < channels; c++) values[(n * size * size + i) * channels + c] = 100 * n + i + 1000 * c;
    }
  }
  return tf.tensor4d(values, [2, size, size, channels]);
}

/** The values a map should hold after sample n took partner[n]'s cells in rows/cols [from, to). */
function expected(size: number, channels: number, partners: number[], rows: [number, number], cols: [number, number]): number[] {
  const out: number[] = [];
  for (let n = 0; n < 2; n++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inside = y >= rows[0] && y < rows[1] && x >= cols[0] && x < cols[1];
        const from = inside ? partners[n]! : n;
        for (let c = 0; c < channels; c++) out.push(100 * from + y * size + x + 1000 * c);
      }
    }
  }
  return out;
}

// p draw 0.1 (< 0.3: apply); λ = 0.75 -> side sqrt(0.25) = 0.5; centre (0.5, 0.5) -> box [0.25, 0.75]²;
// shuffle of [0, 1]: j = int(2) at 0 -> 0, swap -> partners [1, 0].
const script = [0.1, 0.75, 0.5, 0.5, 0];

describe('augment.FeatureCutMix', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('draws the CutMix box: side sqrt(1 - λ) about a uniform centre, clipped to the map', () => {
    expect(drawCutBox(new ScriptedRng([0.75, 0.5, 0.5]), 1)).toEqual({ x1: 0.25, y1: 0.25, x2: 0.75, y2: 0.75 });
    expect(drawCutBox(new ScriptedRng([0.84, 0.9, 0.1]), 1)).toEqual({ x1: 0.7, y1: 0, x2: 1, y2: 0.30000000000000004 });
  });

  it('snaps the box to each grid: edges on the nearest grid line', () => {
    const box = { x1: 0.25, y1: 0.25, x2: 0.75, y2: 0.75 };
    expect(boxCells(box, 4, 4)).toEqual({ rows: [1, 3], cols: [1, 3] });
    expect(boxCells(box, 8, 8)).toEqual({ rows: [2, 6], cols: [2, 6] });
    expect(boxCells(box, 2, 2)).toEqual({ rows: [1, 2], cols: [1, 2] }); // 0.5 and 1.5 round up
  });

  it('cuts the partner into the box on a 4x4 map and leaves the rest, for a hand-made 2-sample batch', async () => {
    const rng = new ScriptedRng(script);
    const mix = new FeatureCutMix().draw(2, rng);
    if (!mix) throw new Error('p draw 0.1 < 0.3: the mix fires');
    expect(mix.at).toBe('neck.0');
    const student = map(4);
    const teacher = map(4);
    const mixed = mix.apply(student);
    const values = Array.from(await mixed.data());
    // Sample 0: cells (1..2, 1..2) from sample 1, the rest its own.
    expect(values.slice(0, 16)).toEqual([0, 1, 2, 3, 4, 105, 106, 7, 8, 109, 110, 11, 12, 13, 14, 15]);
    expect(values.slice(16)).toEqual([100, 101, 102, 103, 104, 5, 6, 107, 108, 9, 10, 111, 112, 113, 114, 115]);
    const forTeacher = mix.apply(teacher);
    expect(Array.from(await forTeacher.data())).toEqual(values); // the same box and partners for the teacher
    expect(rng.used).toBe(5);
    tf.dispose([student, teacher, mixed, forTeacher]);
  });

  it('scales the same relative box to every map, whatever its grid and channels', async () => {
    const maps = { p3: map(8, 2), p4: map(4, 3), p5: map(2) };
    const out = cutMixMaps(maps, { x1: 0.25, y1: 0.25, x2: 0.75, y2: 0.75 }, [1, 0]);
    const partners = [1, 0];
    expect(Array.from(await out['p3']!.data())).toEqual(expected(8, 2, partners, [2, 6], [2, 6]));
    expect(Array.from(await out['p4']!.data())).toEqual(expected(4, 3, partners, [1, 3], [1, 3]));
    expect(Array.from(await out['p5']!.data())).toEqual(expected(2, 1, partners, [1, 2], [1, 2]));
    tf.dispose([...Object.values(maps), ...Object.values(out)]);
  });

  it('gives a map the box covers no cell of a copy of itself', async () => {
    // [0.3, 0.4] on a 2-cell grid: both edges snap to line 1.
    const maps = { p5: map(2) };
    const out = cutMixMaps(maps, { x1: 0.3, y1: 0.3, x2: 0.4, y2: 0.4 }, [1, 0]);
    expect(out['p5']).not.toBe(maps.p5);
    expect(Array.from(await out['p5']!.data())).toEqual(Array.from(await maps.p5.data()));
    tf.dispose([maps.p5, out['p5']!]);
  });

  it('lets gradients reach the maps: outside the box to the sample, inside to its partner', async () => {
    const student = map(4);
    const grad = tf.grad((x: tf.Tensor) => {
      const mix = new FeatureCutMix({ p: 1, at: 'neck.0', alpha: 1 }).draw(2, new ScriptedRng(script));
      // The loss reads sample 0 only.
      return tf.sum(tf.slice(mix!.apply(x as Tensor4D), [0, 0, 0, 0], [1, 4, 4, 1]));
    })(student);
    const g = Array.from(await grad.data());
    const inside = (i: number) => [5, 6, 9, 10].includes(i % 16);
    expect(g).toEqual(g.map((_, i) => (i < 16 ? (inside(i) ? 0 : 1) : inside(i) ? 1 : 0)));
    tf.dispose([student, grad]);
  });

  it('does not fire at p 0 and always fires at p 1', () => {
    const never = new FeatureCutMix({ p: 0, at: 'neck.0', alpha: 1 });
    const always = new FeatureCutMix({ p: 1, at: 'neck.1', alpha: 1 });
    for (let seed = 0; seed < 20; seed++) {
      expect(never.draw(2, new SeededRng(seed))).toBeUndefined();
      expect(always.draw(2, new SeededRng(seed))?.at).toBe('neck.1');
    }
  });

  it('is the same for the same seed', async () => {
    const m = map(8);
    const run = async (seed: number) => {
      const out = new FeatureCutMix({ p: 1, at: 'neck.0', alpha: 1 }).draw(2, new SeededRng(seed))!.apply(m);
      const values = Array.from(await out.data());
      out.dispose();
      return values;
    };
    expect(await run(9)).toEqual(await run(9));
    m.dispose();
  });

  it('leaves no tensor behind but its output', () => {
    const m = map(8);
    const mix = new FeatureCutMix({ p: 1, at: 'neck.0', alpha: 1 }).draw(2, new SeededRng(1))!;
    const before = tf.memory().numTensors;
    const out = mix.apply(m);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([out, m]);
  });

  it('refuses a map of another batch size than it was drawn for', () => {
    const m = tf.zeros([3, 4, 4, 1]) as Tensor4D;
    const mix = new FeatureCutMix({ p: 1, at: 'neck.0', alpha: 1 }).draw(2, new SeededRng(0))!;
    expect(() => mix.apply(m)).toThrow("augment.FeatureCutMix: the map at 'neck.0' is [3, 4, 4, 1], expected NHWC with batch 2");
    m.dispose();
  });

  it('parses with p 0.3 at neck.0 and a uniform cut area (alpha 1) by default', () => {
    expect(parseYaml(featureCutMixAugmentation, '')).toEqual({ p: 0.3, at: 'neck.0', alpha: 1 });
    expect(featureCutMixAugmentation.kind).toBe('featureAugmentation');
  });
});
