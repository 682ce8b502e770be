import { readFile } from 'node:fs/promises';
import type { Detection } from '@yolo-distill/core';
import { nmsIndices, nonMaxSuppression, type DetectionPredictions } from './non-max-suppression.js';
import { ULTRALYTICS_FIXTURES as FIXTURES } from '@yolo-distill/core/testing';


/** One image of rows [cx, cy, w, h, ...scores]. */
function rows(...values: number[][]): DetectionPredictions {
  return batch([values]);
}

function batch(images: number[][][]): DetectionPredictions {
  const channels = images[0]?.[0]?.length ?? 0;
  const anchors = images[0]?.length ?? 0;
  return { data: Float32Array.from(images.flat(2)), dims: [images.length, anchors, channels] };
}

function transpose(predictions: DetectionPredictions): DetectionPredictions {
  const [b, n, c] = predictions.dims as [number, number, number];
  const out = new Float32Array(predictions.data.length);
  for (let i = 0; i < b; i++) for (let a = 0; a < n; a++) for (let k = 0; k < c; k++) out[i * n * c + k * n + a] = predictions.data[i * n * c + a * c + k] as number;
  return { data: out, dims: [b, c, n] };
}

function iou(a: readonly number[], b: readonly number[]): number {
  const w = Math.max(0, Math.min(a[2] as number, b[2] as number) - Math.max(a[0] as number, b[0] as number));
  const h = Math.max(0, Math.min(a[3] as number, b[3] as number) - Math.max(a[1] as number, b[1] as number));
  const area = (box: readonly number[]): number => ((box[2] as number) - (box[0] as number)) * ((box[3] as number) - (box[1] as number));
  return (w * h) / (area(a) + area(b) - w * h);
}

const f32 = Math.fround;
// A = [40,40,60,60]; B = [42,40,62,60]: intersection 18*20 = 360, union 400+400-360 = 440, IoU 0.818
const A = [50, 50, 20, 20];
const B = [52, 50, 20, 20];
// far away from both
const FAR = [150, 150, 20, 20];

describe('nonMaxSuppression, anchor-free rows (v8: cx, cy, w, h, class scores)', () => {
  it('two overlapping boxes of one class: the higher score stays', () => {
    const [out] = nonMaxSuppression(rows([...A, 0.6, 0.1], [...B, 0.9, 0.1]), { objectness: false });
    expect(out).toEqual([{ box: [42, 40, 62, 60], score: f32(0.9), cls: 0 }]);
  });

  it('the same boxes in different classes both stay, sorted by score; agnostic keeps one', () => {
    const input = rows([...A, 0.6, 0.1], [...B, 0.1, 0.9]);
    const [out] = nonMaxSuppression(input, { objectness: false });
    expect(out).toEqual([
      { box: [42, 40, 62, 60], score: f32(0.9), cls: 1 },
      { box: [40, 40, 60, 60], score: f32(0.6), cls: 0 },
    ]);
    expect(nonMaxSuppression(input, { objectness: false, agnostic: true })[0]?.map((d) => d.cls)).toEqual([1]);
  });

  it('IoU threshold: suppression needs IoU strictly above it', () => {
    // [0,0,10,10] and [0,0,10,5]: IoU = 50 / 100 = 0.5 exactly
    const input = rows([5, 5, 10, 10, 0.9], [5, 2.5, 10, 5, 0.8]);
    expect(nonMaxSuppression(input, { objectness: false, iouThreshold: 0.5 })[0]).toHaveLength(2);
    expect(nonMaxSuppression(input, { objectness: false, iouThreshold: 0.49 })[0]).toHaveLength(1);
  });

  it('greedy order: a suppressed box no longer suppresses others', () => {
    // P=[0,0,10,10], Q=[3,0,13,10], R=[6,0,16,10]: IoU(P,Q) = IoU(Q,R) = 70/130 = 0.54, IoU(P,R) = 40/160 = 0.25
    const [out] = nonMaxSuppression(rows([5, 5, 10, 10, 0.9], [8, 5, 10, 10, 0.8], [11, 5, 10, 10, 0.7]), { objectness: false });
    expect(out?.map((d) => d.box)).toEqual([
      [0, 0, 10, 10],
      [6, 0, 16, 10],
    ]);
  });

  it('score threshold: scores must be strictly above confThreshold', () => {
    const [out] = nonMaxSuppression(rows([...A, 0.25], [...FAR, 0.2500001], [100, 20, 10, 10, 0.1]), { objectness: false });
    expect(out?.map((d) => d.score)).toEqual([f32(0.2500001)]);
    expect(nonMaxSuppression(rows([...A, 0.25]), { objectness: false, confThreshold: 0.2 })[0]).toHaveLength(1);
  });

  it('maxDetections keeps the best; maxCandidates limits what enters NMS', () => {
    const spread = [0.3, 0.9, 0.5, 0.7, 0.4].map((score, i) => [20 + 50 * i, 20, 10, 10, score]);
    const input = rows(...spread);
    expect(nonMaxSuppression(input, { objectness: false, maxDetections: 3 })[0]?.map((d) => d.score)).toEqual([0.9, 0.7, 0.5].map(f32));
    // candidate cut before NMS: the best box suppresses the second; the third is not a candidate any more
    const crowded = rows([...A, 0.9], [...B, 0.8], [...FAR, 0.7]);
    expect(nonMaxSuppression(crowded, { objectness: false, maxCandidates: 2 })[0]?.map((d) => d.score)).toEqual([f32(0.9)]);
    expect(nonMaxSuppression(crowded, { objectness: false, maxCandidates: 3 })[0]?.map((d) => d.score)).toEqual([0.9, 0.7].map(f32));
  });

  it('multiLabel: a box gives one detection per class above the threshold', () => {
    const input = rows([...A, 0.8, 0.6, 0.1]);
    expect(nonMaxSuppression(input, { objectness: false })[0]?.map((d) => d.cls)).toEqual([0]);
    expect(nonMaxSuppression(input, { objectness: false, multiLabel: true })[0]?.map((d) => [d.cls, d.score])).toEqual([
      [0, f32(0.8)],
      [1, f32(0.6)],
    ]);
  });

  it('classes keeps only the listed class ids', () => {
    const input = rows([...A, 0.9, 0.1, 0.1], [...FAR, 0.1, 0.1, 0.8]);
    expect(nonMaxSuppression(input, { objectness: false, classes: [2] })[0]?.map((d) => d.cls)).toEqual([2]);
  });

  it('channels-first input (the v8 ONNX [batch, 4 + nc, anchors] layout) gives the same result', () => {
    const input = rows([...A, 0.6, 0.1], [...B, 0.9, 0.1], [...FAR, 0.1, 0.7]);
    const expected = nonMaxSuppression(input, { objectness: false });
    expect(expected[0]).toHaveLength(2);
    expect(nonMaxSuppression(transpose(input), { objectness: false, layout: 'channels-first' })).toEqual(expected);
  });

  it('each image of a batch is suppressed on its own', () => {
    const out = nonMaxSuppression(
      batch([
        [[...A, 0.9], [...B, 0.8]],
        [[...B, 0.7], [...FAR, 0.1]],
      ]),
      { objectness: false },
    );
    expect(out.map((image) => image.map((d) => d.score))).toEqual([[f32(0.9)], [f32(0.7)]]);
  });

  it('ignores channels after numClasses (mask coefficients)', () => {
    const [out] = nonMaxSuppression(rows([...A, 0.3, 0.4, 0.99, 0.99]), { objectness: false, numClasses: 2 });
    expect(out).toEqual([{ box: [40, 40, 60, 60], score: f32(0.4), cls: 1 }]);
  });
});

describe('nonMaxSuppression, anchor-based rows (v5/v3/v7: cx, cy, w, h, objectness, class scores)', () => {
  it('score = objectness * class score; the best class by that product', () => {
    // obj 0.5 * [0.6, 0.9] = [0.3, 0.45]
    const [out] = nonMaxSuppression(rows([...A, 0.5, 0.6, 0.9]), { objectness: true });
    expect(out).toEqual([{ box: [40, 40, 60, 60], score: f32(f32(0.5) * f32(0.9)), cls: 1 }]);
  });

  it('drops rows whose objectness or product is not above the threshold', () => {
    const [out] = nonMaxSuppression(
      rows(
        [...A, 0.24, 1.0, 0.0], // objectness below 0.25 even though 0.24 * 1.0 would be the class score
        [...FAR, 0.3, 0.8, 0.0], // 0.24 after multiplying
        [100, 20, 10, 10, 0.3, 0.0, 0.9], // 0.27: kept
      ),
      { objectness: true },
    );
    expect(out?.map((d) => [d.cls, d.score])).toEqual([[1, f32(f32(0.3) * f32(0.9))]]);
    // with a lower threshold, the first row's objectness passes too
    expect(nonMaxSuppression(rows([...A, 0.24, 1.0, 0.0]), { objectness: true, confThreshold: 0.2 })[0]).toHaveLength(1);
  });

  it('suppresses by the product score: the box with the higher obj * cls wins', () => {
    // A: 0.9 * 0.5 = 0.45, B: 0.6 * 0.9 = 0.54 -> B stays although A has the higher objectness
    const [out] = nonMaxSuppression(rows([...A, 0.9, 0.5], [...B, 0.6, 0.9]), { objectness: true });
    expect(out?.map((d) => d.box)).toEqual([[42, 40, 62, 60]]);
  });

  it('says what is wrong with the input', () => {
    expect(() => nonMaxSuppression({ data: new Float32Array(6), dims: [6] }, { objectness: true })).toThrow(
      'nonMaxSuppression: predictions must be 3-D ([batch, anchors, channels] or [batch, channels, anchors]), got dims [6]',
    );
    expect(() => nonMaxSuppression({ data: new Float32Array(5), dims: [1, 1, 6] }, { objectness: true })).toThrow('nonMaxSuppression: 5 values do not fill dims [1, 1, 6]');
    expect(() => nonMaxSuppression({ data: new Float32Array(5), dims: [1, 1, 5] }, { objectness: true })).toThrow(
      'nonMaxSuppression: 5 channels per prediction (layout rows, dims [1, 1, 5]) cannot hold 4 box values, objectness and 0 class scores',
    );
    expect(() => nonMaxSuppression(rows([...A, 0.9]), { objectness: false, iouThreshold: 1.5 })).toThrow('nonMaxSuppression: iouThreshold must be in [0, 1], got 1.5');
  });
});

describe('nonMaxSuppression on the reference exports', () => {
  async function output(model: string): Promise<Float32Array> {
    const bytes = await readFile(`${FIXTURES}${model}.output.bin`);
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }

  function checkGreedy(detections: Detection[], iouThreshold: number, maxDetections: number): void {
    expect(detections.length).toBeGreaterThan(0);
    expect(detections.length).toBeLessThanOrEqual(maxDetections);
    for (let i = 1; i < detections.length; i++) expect((detections[i] as Detection).score).toBeLessThanOrEqual((detections[i - 1] as Detection).score);
    for (let i = 0; i < detections.length; i++) {
      for (let j = i + 1; j < detections.length; j++) {
        const [a, b] = [detections[i] as Detection, detections[j] as Detection];
        if (a.cls === b.cls) expect(iou(a.box, b.box)).toBeLessThanOrEqual(iouThreshold);
      }
    }
  }

  it('yolov5n [1,1575,85] with objectness: sorted, same-class overlaps below the threshold', async () => {
    const predictions = { data: await output('yolov5n'), dims: [1, 1575, 85] };
    const [detections] = nonMaxSuppression(predictions, { objectness: true, confThreshold: 0.001, iouThreshold: 0.45, maxDetections: 300 });
    checkGreedy(detections ?? [], 0.45, 300);
    expect(detections?.every((d) => d.cls >= 0 && d.cls < 80)).toBe(true);
  });

  it('yolov8n [1,8,525] channels-first, nc = 4', async () => {
    const data = await output('yolov8n');
    const [detections] = nonMaxSuppression({ data, dims: [1, 8, 525] }, { objectness: false, layout: 'channels-first', confThreshold: 0.001, iouThreshold: 0.7 });
    checkGreedy(detections ?? [], 0.7, 300);
    expect(detections?.every((d) => d.cls >= 0 && d.cls < 4)).toBe(true);
    // the top detection is the anchor with the highest class score overall
    let best = 0;
    for (let anchor = 0; anchor < 525; anchor++) for (let cls = 0; cls < 4; cls++) best = Math.max(best, data[(4 + cls) * 525 + anchor] as number);
    expect(detections?.[0]?.score).toBe(best);
  });
});

describe('nmsIndices', () => {
  it('keeps indices in score order, per class when classes are given', () => {
    const boxes = Float32Array.from([40, 40, 60, 60, 42, 40, 62, 60, 140, 140, 160, 160]);
    const scores = Float32Array.from([0.6, 0.9, 0.1]);
    expect(nmsIndices(boxes, scores, 0.45)).toEqual([1, 2]);
    expect(nmsIndices(boxes, scores, 0.45, [0, 1, 0])).toEqual([1, 0, 2]);
    expect(() => nmsIndices(boxes, scores.subarray(0, 2), 0.45)).toThrow('nmsIndices: 12 box values for 2 scores (need 4 per box)');
  });
});
