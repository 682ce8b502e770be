import type { OnnxEmitter } from './onnx-emitter.js';
import type { HeadLayout } from './head-layout.js';
import { anchorPoints } from '../head-constants.js';

/** The raw NCHW maps flattened and joined over levels: `[B, 4 * reg_max + nc, N]` (Ultralytics' `cat(boxes, scores)`). */
export function anchorFreeRows(emitter: OnnxEmitter, layout: HeadLayout, maps: readonly string[], scope: string): string {
  const channels = layout.outputsPerAnchor;
  const flat = maps.map((map, i) => {
    const [h, w] = layout.grids[i] as readonly [number, number];
    return emitter.op('Reshape', `${scope}/Reshape`, [map, emitter.ints([-1, channels, h * w])]);
  });
  return emitter.op('Concat', `${scope}/Concat`, flat, { axis: 2 });
}

/**
 * Ultralytics' DFL decode in the graph: box bins softmaxed per side and reduced by the fixed 1x1 DFL
 * conv (weights 0..reg_max-1) to distances `l, t, r, b` in cells; `x1y1 = anchor - lt`, `x2y2 = anchor
 * + rb` with anchors at cell centres; `(centre, size) * stride`; class logits through sigmoid. Output
 * `[B, 4 + nc, N]`, as the upstream `output0`.
 */
export function decodeAnchorFree(emitter: OnnxEmitter, layout: HeadLayout, rows: string, scope: string): string {
  const regMax = layout.head.regMax as number;
  const nc = layout.head.numClasses;
  const n = layout.boxes;
  const { xs, ys, strides } = anchorPoints(layout);
  const anchors = new Float32Array(2 * n);
  anchors.set(xs, 0);
  anchors.set(ys, n);
  const box = emitter.tensor(`${scope}/Split`);
  const cls = emitter.tensor(`${scope}/Split`);
  emitter.node('Split', `${scope}/Split`, [rows, emitter.ints([4 * regMax, nc])], [box, cls], { axis: 1 });
  const bins = emitter.op('Transpose', `${scope}/dfl/Transpose`, [emitter.op('Reshape', `${scope}/dfl/Reshape`, [box, emitter.ints([-1, 4, regMax, n])])], { perm: [0, 2, 1, 3] });
  const probabilities = emitter.op('Softmax', `${scope}/dfl/Softmax`, [bins], { axis: 1 });
  const projection = emitter.constant(`${scope}.dfl.projection`, Float32Array.from({ length: regMax }, (_, i) => i), [1, regMax, 1, 1]);
  const expectation = emitter.op('Conv', `${scope}/dfl/conv/Conv`, [probabilities, projection], { kernel_shape: [1, 1] });
  const distances = emitter.op('Reshape', `${scope}/dfl/Reshape`, [expectation, emitter.ints([-1, 4, n])]);
  const lt = emitter.tensor(`${scope}/Split`);
  const rb = emitter.tensor(`${scope}/Split`);
  emitter.node('Split', `${scope}/Split`, [distances, emitter.ints([2, 2])], [lt, rb], { axis: 1 });
  const points = emitter.constant(`${scope}.anchors`, anchors, [1, 2, n]);
  const x1y1 = emitter.op('Sub', `${scope}/Sub`, [points, lt]);
  const x2y2 = emitter.op('Add', `${scope}/Add`, [points, rb]);
  const centres = emitter.op('Div', `${scope}/Div`, [emitter.op('Add', `${scope}/Add`, [x1y1, x2y2]), emitter.scalar(2)]);
  const sizes = emitter.op('Sub', `${scope}/Sub`, [x2y2, x1y1]);
  const boxes = emitter.op('Mul', `${scope}/Mul`, [emitter.op('Concat', `${scope}/Concat`, [centres, sizes], { axis: 1 }), emitter.constant(`${scope}.strides`, strides, [1, 1, n])]);
  return emitter.op('Concat', `${scope}/Concat`, [boxes, emitter.op('Sigmoid', `${scope}/Sigmoid`, [cls])], { axis: 1 });
}
