import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { SeededRng, type FeatureMaps, type Tensor4D } from '@yolo-distill/core';
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
    const student = { p3: map(4) };
    const teacher = { p3: map(4) };
    const rng = new ScriptedRng(script);
    const out = new FeatureCutMix().apply(student, teacher, rng);
    const values = Array.from(await out.student['p3']!.data());
    // Sample 0: cells (1..2, 1..2) from sample 1, the rest its own.
    expect(values.slice(0, 16)).toEqual([0, 1, 2, 3, 4, 105, 106, 7, 8, 109, 110, 11, 12, 13, 14, 15]);
    expect(values.slice(16)).toEqual([100, 101, 102, 103, 104, 5, 6, 107, 108, 9, 10, 111, 112, 113, 114, 115]);
    expect(Array.from(await out.teacher['p3']!.data())).toEqual(values); // the same box and partners for the teacher
    expect(rng.used).toBe(5);
    tf.dispose([student.p3, teacher.p3, out.student['p3']!, out.teacher['p3']!]);
  });

  it('scales the same relative box to every tap, student and teacher, whatever their grid and channels', async () => {
    const student = { p3: map(8, 2), p4: map(4, 3), p5: map(2) };
    const teacher = { p3: map(8, 4), p5: map(2, 2) };
    const out = new FeatureCutMix({ p: 0.3, alpha: 1 }).apply(student, teacher, new ScriptedRng(script));
    const partners = [1, 0];
    expect(Array.from(await out.student['p3']!.data())).toEqual(expected(8, 2, partners, [2, 6], [2, 6]));
    expect(Array.from(await out.student['p4']!.data())).toEqual(expected(4, 3, partners, [1, 3], [1, 3]));
    expect(Array.from(await out.student['p5']!.data())).toEqual(expected(2, 1, partners, [1, 2], [1, 2]));
    expect(Array.from(await out.teacher['p3']!.data())).toEqual(expected(8, 4, partners, [2, 6], [2, 6]));
    expect(Array.from(await out.teacher['p5']!.data())).toEqual(expected(2, 2, partners, [1, 2], [1, 2]));
    tf.dispose([...Object.values(student), ...Object.values(teacher), ...Object.values(out.student), ...Object.values(out.teacher)]);
  });

  it('gives a map the box covers no cell of a copy of itself', async () => {
    // [0.3, 0.4] on a 2-cell grid: both edges snap to line 1.
    const maps = { p5: map(2) };
    const out = cutMixMaps(maps, { x1: 0.3, y1: 0.3, x2: 0.4, y2: 0.4 }, [1, 0]);
    expect(out['p5']).not.toBe(maps.p5);
    expect(Array.from(await out['p5']!.data())).toEqual(Array.from(await maps.p5.data()));
    tf.dispose([maps.p5, out['p5']!]);
  });

  it('lets gradients reach the student maps: outside the box to the sample, inside to its partner', async () => {
    const student = map(4);
    const teacher = { p3: map(4) };
    const grad = tf.grad((x: tf.Tensor) => {
      const out = new FeatureCutMix({ p: 1, alpha: 1 }).apply({ p3: x as Tensor4D }, teacher, new ScriptedRng(script));
      // The loss reads sample 0 only.
      return tf.sum(tf.slice(out.student['p3']!, [0, 0, 0, 0], [1, 4, 4, 1]));
    })(student);
    const g = Array.from(await grad.data());
    const inside = (i: number) => [5, 6, 9, 10].includes(i % 16);
    expect(g).toEqual(g.map((_, i) => (i < 16 ? (inside(i) ? 0 : 1) : inside(i) ? 1 : 0)));
    tf.dispose([student, teacher.p3, grad]);
  });

  it('returns the inputs themselves when it does not apply, and always applies at p 1', () => {
    const student: FeatureMaps = { p3: map(4) };
    const teacher: FeatureMaps = { p3: map(4) };
    const never = new FeatureCutMix({ p: 0, alpha: 1 });
    for (let seed = 0; seed < 20; seed++) {
      const out = never.apply(student, teacher, new SeededRng(seed));
      expect(out.student).toBe(student);
      expect(out.teacher).toBe(teacher);
    }
    const always = new FeatureCutMix({ p: 1, alpha: 1 });
    for (let seed = 0; seed < 20; seed++) {
      const out = always.apply(student, teacher, new SeededRng(seed));
      expect(out.student['p3']).not.toBe(student['p3']);
      tf.dispose([out.student['p3']!, out.teacher['p3']!]);
    }
    tf.dispose([student['p3']!, teacher['p3']!]);
  });

  it('is the same for the same seed', async () => {
    const student = { p3: map(8) };
    const teacher = { p3: map(8) };
    const run = async (seed: number) => {
      const out = new FeatureCutMix({ p: 1, alpha: 1 }).apply(student, teacher, new SeededRng(seed));
      const values = Array.from(await out.student['p3']!.data());
      tf.dispose([out.student['p3']!, out.teacher['p3']!]);
      return values;
    };
    expect(await run(9)).toEqual(await run(9));
    tf.dispose([student.p3, teacher.p3]);
  });

  it('leaves no tensor behind but its outputs', () => {
    const student = { p3: map(8), p4: map(4) };
    const teacher = { p3: map(8), p4: map(4) };
    const before = tf.memory().numTensors;
    const out = new FeatureCutMix({ p: 1, alpha: 1 }).apply(student, teacher, new SeededRng(1));
    expect(tf.memory().numTensors).toBe(before + 4);
    tf.dispose([...Object.values(out.student), ...Object.values(out.teacher)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...Object.values(student), ...Object.values(teacher)]);
  });

  it('refuses maps of different batch sizes', () => {
    const student = { p3: map(4) };
    const teacher = { p3: tf.zeros([3, 4, 4, 1]) as Tensor4D };
    expect(() => new FeatureCutMix().apply(student, teacher, new SeededRng(0))).toThrow("augment.FeatureCutMix: teacher map 'p3' has batch 3, student map 'p3' has 2");
    tf.dispose([student.p3, teacher.p3]);
  });

  it('parses with p 0.3 and a uniform cut area (alpha 1) by default', () => {
    expect(parseYaml(featureCutMixAugmentation, '')).toEqual({ p: 0.3, alpha: 1 });
    expect(featureCutMixAugmentation.kind).toBe('featureAugmentation');
  });
});
