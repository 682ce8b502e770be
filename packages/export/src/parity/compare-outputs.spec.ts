import { compareDetections, compareTensors } from './compare-outputs.js';

const t = (data: number[], dims: number[]) => ({ data: Float32Array.from(data), dims });

describe('compareTensors', () => {
  it('gives max |a - r|, max |r| and their ratio, and passes at 1e-4 of the largest reference value', () => {
    const result = compareTensors('out', t([1, -200.01, 3], [3]), t([1, -200, 3.005], [3]));
    expect(result.maxAbsError).toBeCloseTo(0.01, 4);
    expect(result.maxAbsReference).toBe(200);
    expect(result.relativeError).toBeCloseTo(5e-5, 7);
    expect(result.passed).toBe(true);
    expect(compareTensors('out', t([1, -200.05, 3], [3]), t([1, -200, 3], [3])).passed).toBe(false);
  });

  it('fails on a NaN and on different shapes, saying which', () => {
    expect(compareTensors('out', t([Number.NaN, 1], [2]), t([0, 1], [2])).passed).toBe(false);
    const shapes = compareTensors('out', t([1, 2], [1, 2]), t([1, 2], [2, 1]));
    expect(shapes.passed).toBe(false);
    expect(shapes.note).toBe('onnxruntime gives [1, 2], tfjs [2, 1]');
  });
});

describe('compareDetections', () => {
  const row = (batch: number, x1: number, score: number, cls: number) => [batch, x1, 10, x1 + 20, 30, score, cls];

  it('pairs rows within image and class whatever their order, and measures the largest difference', () => {
    const reference = t([...row(0, 5, 0.9, 1), ...row(0, 50, 0.8, 0), ...row(1, 7, 0.7, 1)], [3, 7]);
    const actual = t([...row(0, 50.001, 0.8, 0), ...row(0, 5, 0.9, 1), ...row(1, 7, 0.7, 1)], [3, 7]);
    const result = compareDetections('detections', actual, reference);
    expect(result.maxAbsError).toBeCloseTo(0.001, 4);
    expect(result.maxAbsReference).toBe(70);
    expect(result.passed).toBe(true);
  });

  it('fails when an image keeps a different number of boxes, naming it', () => {
    const result = compareDetections('detections', t(row(0, 5, 0.9, 1), [1, 7]), t([...row(0, 5, 0.9, 1), ...row(1, 5, 0.9, 1)], [2, 7]));
    expect(result.passed).toBe(false);
    expect(result.note).toContain('image 1: 0 vs 1');
  });
});
