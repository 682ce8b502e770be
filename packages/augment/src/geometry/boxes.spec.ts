import { compose, translation, type Affine } from './affine.js';
import { expectRows } from '../test-support/samples.js';
import { BOX_FILTER, clipBoxes, isBoxCandidate, labelsToPixels, pixelsToLabels, transformBoxes, type PixelBoxes } from './boxes.js';

const labels = (...rows: number[][]) => ({ rows: Float32Array.from(rows.flat()), count: rows.length });
const boxes = (...xyxy: number[][]): PixelBoxes => ({ classes: Float32Array.from(xyxy.map((_, i) => i)), xyxy: Float64Array.from(xyxy.flat()), count: xyxy.length });
const list = (b: PixelBoxes) => Array.from({ length: b.count }, (_, i) => [b.classes[i]!, ...Array.from(b.xyxy.subarray(i * 4, i * 4 + 4))]);

describe('box geometry', () => {
  it('converts normalised rows to pixel corners (with a shift) and back', () => {
    const pixels = labelsToPixels(labels([3, 0.2, 0.3, 0.1, 0.2]), 100, 50, 10, -5);
    // Rows are float32: 0.2 is 0.2000000030, so pixels agree to about 1e-6.
    expectRows(list(pixels), [[3, 25, 5, 35, 15]]);
    const back = pixelsToLabels(labelsToPixels(labels([3, 0.2, 0.3, 0.1, 0.2]), 100, 50), 100, 50);
    Array.from(back.rows).forEach((v, i) => expect(v).toBeCloseTo([3, 0.2, 0.3, 0.1, 0.2][i]!, 6));
  });

  it('reads only `count` rows', () => {
    expect(labelsToPixels({ rows: Float32Array.from([1, 0.5, 0.5, 0.2, 0.2, 9, 9, 9, 9, 9]), count: 1 }, 10, 10).count).toBe(1);
  });

  it('clips to the image and drops boxes left with no area', () => {
    const clipped = clipBoxes(boxes([-5, 10, 20, 30], [110, 0, 130, 10], [50, 50, 60, 60]), 100, 100);
    expect(list(clipped)).toEqual([
      [0, 0, 10, 20, 30],
      [2, 50, 50, 60, 60],
    ]);
  });

  describe('isBoxCandidate (Ultralytics box_candidates)', () => {
    it('needs both sides above 2 px', () => {
      expect(isBoxCandidate(10, 10, 2, 10)).toBe(false);
      expect(isBoxCandidate(10, 10, 10, 2)).toBe(false);
      expect(isBoxCandidate(10, 10, 2.01, 10)).toBe(true);
    });
    it('needs more than a tenth of the area it had', () => {
      expect(isBoxCandidate(100, 100, 10, 100)).toBe(false); // exactly 0.1
      expect(isBoxCandidate(100, 100, 11, 100)).toBe(true);
    });
    it('needs an aspect ratio under 100', () => {
      expect(isBoxCandidate(3, 300, 3, 300)).toBe(false);
      expect(isBoxCandidate(3, 299, 3, 299)).toBe(true);
    });
    it('uses the thresholds of Ultralytics', () => {
      expect(BOX_FILTER).toEqual({ minSize: 2, minAreaRatio: 0.1, maxAspect: 100 });
    });
  });

  describe('transformBoxes', () => {
    // Zoom 0.5 about the centre of a 100 x 100 image: x' = 0.5 (x - 50) + 50.
    const half: Affine = compose(translation(50, 50), [0.5, 0, 0, 0, 0.5, 0], translation(-50, -50));

    it('maps a box by a zoom of 0.5 about the centre to exact numbers', () => {
      // (0.2, 0.3, 0.1, 0.2) is x 15..25, y 20..40 -> x 32.5..37.5, y 35..45 = (0.35, 0.40, 0.05, 0.10).
      const moved = transformBoxes(labelsToPixels(labels([1, 0.2, 0.3, 0.1, 0.2]), 100, 100), half, 100, 100, 0.5);
      expectRows(list(moved), [[1, 32.5, 35, 37.5, 45]]);
      const rows = Array.from(pixelsToLabels(moved, 100, 100).rows);
      [1, 0.35, 0.4, 0.05, 0.1].forEach((v, i) => expect(rows[i]).toBeCloseTo(v, 6));
    });

    it('clips a box pushed half out of the image to the part inside', () => {
      // x 80..100 moved right by 10 -> 90..110 -> 90..100: half its area, kept.
      const moved = transformBoxes(boxes([80, 40, 100, 60]), translation(10, 0), 100, 100, 1);
      expect(list(moved)).toEqual([[0, 90, 40, 100, 60]]);
    });

    it('drops a box 95% outside by the area rule, keeps one 85% outside', () => {
      // 100 x 40 moved right by 95: 5 x 40 left (5% of its area) although both sides exceed 2 px.
      expect(transformBoxes(boxes([0, 30, 100, 70]), translation(95, 0), 100, 100, 1).count).toBe(0);
      expect(list(transformBoxes(boxes([0, 30, 100, 70]), translation(85, 0), 100, 100, 1))).toEqual([[0, 85, 30, 100, 70]]);
    });

    it('compares against the box before the transform scaled by the zoom, so zooming out alone drops nothing', () => {
      // 10 x 10 box zoomed by 0.25 -> 2.5 x 2.5: kept (sides > 2, area ratio 1 against the zoomed box).
      const quarter = compose(translation(50, 50), [0.25, 0, 0, 0, 0.25, 0], translation(-50, -50));
      expect(transformBoxes(boxes([40, 40, 50, 50]), quarter, 100, 100, 0.25).count).toBe(1);
      // Called with zoom 1, the same box counts as having lost 94% of its area.
      expect(transformBoxes(boxes([40, 40, 50, 50]), quarter, 100, 100, 1).count).toBe(0);
    });

    it('takes the bounding box of the four mapped corners under rotation', () => {
      // 45 degrees about (50, 50): a 20 x 20 square centred there becomes a diamond of half-diagonal 10·sqrt(2).
      const c = Math.SQRT1_2;
      const rotate: Affine = compose(translation(50, 50), [c, c, 0, -c, c, 0], translation(-50, -50));
      const [[, x1, y1, x2, y2]] = list(transformBoxes(boxes([40, 40, 60, 60]), rotate, 100, 100, 1)) as [number[]];
      const r = 10 * Math.SQRT2;
      [x1, y1, x2, y2].forEach((v, i) => expect(v).toBeCloseTo([50 - r, 50 - r, 50 + r, 50 + r][i]!, 9));
    });
  });
});
