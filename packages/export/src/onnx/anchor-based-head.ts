import type { OnnxEmitter } from './onnx-emitter.js';
import type { HeadLayout } from './head-layout.js';
import { anchorGrids } from '../head-constants.js';

/**
 * Per level the raw NCHW map `[B, na * no, H, W]` as yolov5's Detect views it: `[B, na, H, W, no]`.
 * Batch -1, so the same nodes serve a static and a dynamic batch.
 */
export function anchorLevels(emitter: OnnxEmitter, layout: HeadLayout, maps: readonly string[], scope: string): string[] {
  const na = layout.anchorsPerLevel;
  const no = layout.outputsPerAnchor;
  return maps.map((map, i) => {
    const [h, w] = layout.grids[i] as readonly [number, number];
    const viewed = emitter.op('Reshape', `${scope}/Reshape`, [map, emitter.ints([-1, na, no, h, w])]);
    return emitter.op('Transpose', `${scope}/Transpose`, [viewed], { perm: [0, 1, 3, 4, 2] });
  });
}

/**
 * yolov5's export-mode decode in the graph: per level `y = sigmoid(raw)`, `xy = (y_xy * 2 + grid) * stride`
 * with `grid = cell - 0.5`, `wh = (y_wh * 2) ** 2 * anchor_grid` (pixels), the other columns `y`, rows
 * `[B, na * H * W, no]`, levels concatenated: `[B, N, 5 + nc]`, as the upstream `output0`. The grids are
 * constants `[1, na, H, W, 2]` and the stride a scalar, as in upstream exports (the project's ONNX
 * teacher reads anchors and strides back from them).
 */
export function decodeAnchorBased(emitter: OnnxEmitter, layout: HeadLayout, levels: readonly string[], scope: string): string {
  const na = layout.anchorsPerLevel;
  const no = layout.outputsPerAnchor;
  const rows = levels.map((level, i) => {
    const [h, w] = layout.grids[i] as readonly [number, number];
    const stride = layout.head.strides[i] as number;
    const { grid, anchorGrid } = anchorGrids(layout, i);
    const levelScope = `${scope}/level${i}`;
    const y = emitter.op('Sigmoid', `${levelScope}/Sigmoid`, [level]);
    const xy = emitter.tensor(`${levelScope}/Split`);
    const wh = emitter.tensor(`${levelScope}/Split`);
    const conf = emitter.tensor(`${levelScope}/Split`);
    emitter.node('Split', `${levelScope}/Split`, [y, emitter.ints([2, 2, no - 4])], [xy, wh, conf], { axis: 4 });
    const two = emitter.scalar(2);
    const gridName = emitter.constant(`${scope}.grid.${i}`, grid, [1, na, h, w, 2]);
    const anchorName = emitter.constant(`${scope}.anchor_grid.${i}`, anchorGrid, [1, na, h, w, 2]);
    const centers = emitter.op('Mul', `${levelScope}/Mul`, [emitter.op('Add', `${levelScope}/Add`, [emitter.op('Mul', `${levelScope}/Mul`, [xy, two]), gridName]), emitter.scalar(stride)]);
    const sizes = emitter.op('Mul', `${levelScope}/Mul`, [emitter.op('Pow', `${levelScope}/Pow`, [emitter.op('Mul', `${levelScope}/Mul`, [wh, two]), two]), anchorName]);
    const joined = emitter.op('Concat', `${levelScope}/Concat`, [centers, sizes, conf], { axis: 4 });
    return emitter.op('Reshape', `${levelScope}/Reshape`, [joined, emitter.ints([-1, na * h * w, no])]);
  });
  return emitter.op('Concat', `${scope}/Concat`, rows, { axis: 1 });
}
