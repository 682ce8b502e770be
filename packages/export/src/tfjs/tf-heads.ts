// The detection heads in TensorFlow nodes on NHWC maps: the same layouts and arithmetic as the ONNX
// writers in ../onnx (anchor-based-head.ts, anchor-free-head.ts), so that every export of a model
// returns the same tensors.
import { anchorGrids, anchorPoints } from '../head-constants.js';
import type { HeadLayout } from '../onnx/head-layout.js';
import { attr, type TfGraphEmitter } from './tf-graph-emitter.js';

/** Per level the raw NHWC map `[B, H, W, na * no]` as yolov5's Detect views it: `[B, na, H, W, no]`. */
export function tfAnchorLevels(emitter: TfGraphEmitter, layout: HeadLayout, maps: readonly string[], scope: string): string[] {
  const na = layout.anchorsPerLevel;
  const no = layout.outputsPerAnchor;
  return maps.map((map, i) => {
    const [h, w] = layout.grids[i] as readonly [number, number];
    return emitter.transpose(`${scope}/level${i}/transpose`, emitter.reshape(`${scope}/level${i}/reshape`, map, [-1, h, w, na, no]), [0, 3, 1, 2, 4]);
  });
}

/**
 * yolov5's export-mode decode: per level `y = sigmoid(raw)`, `xy = (y_xy * 2 + grid) * stride` with
 * `grid = cell - 0.5`, `wh = (y_wh * 2)^2 * anchor_grid`, the other columns `y`; rows `[B, na * H * W,
 * no]` (anchor, then y, then x), levels joined: `[B, N, 5 + nc]`. Each level is viewed as `[B, na, H * W,
 * no]`, not `[B, na, H, W, no]`: the wasm backend slices rank <= 4 natively and rank 5 element by
 * element (measured at 640 px, 80 classes: 1.1 s for one rank-5 split of the finest level).
 */
export function tfDecodeAnchorBased(emitter: TfGraphEmitter, layout: HeadLayout, maps: readonly string[], scope: string): string {
  const na = layout.anchorsPerLevel;
  const no = layout.outputsPerAnchor;
  const rows = maps.map((map, i) => {
    const [h, w] = layout.grids[i] as readonly [number, number];
    const stride = layout.head.strides[i] as number;
    const { grid, anchorGrid } = anchorGrids(layout, i);
    const s = `${scope}/level${i}`;
    const two = emitter.scalar(2);
    const level = emitter.transpose(`${s}/transpose`, emitter.reshape(`${s}/reshape`, map, [-1, h * w, na, no]), [0, 2, 1, 3]);
    const y = emitter.float('Sigmoid', `${s}/sigmoid`, [level]);
    const [xy, wh, conf] = emitter.split(`${s}/split`, y, [2, 2, no - 4], 3) as [string, string, string];
    const gridName = emitter.constant(`${scope}/grid.${i}`, grid, [1, na, h * w, 2]);
    const anchorName = emitter.constant(`${scope}/anchor_grid.${i}`, anchorGrid, [1, na, h * w, 2]);
    const centres = emitter.float('Mul', `${s}/mul`, [emitter.float('AddV2', `${s}/add`, [emitter.float('Mul', `${s}/mul`, [xy, two]), gridName]), emitter.scalar(stride)]);
    const sizes = emitter.float('Mul', `${s}/mul`, [emitter.float('Square', `${s}/square`, [emitter.float('Mul', `${s}/mul`, [wh, two])]), anchorName]);
    return emitter.reshape(`${s}/reshape`, emitter.concat(`${s}/concat`, [centres, sizes, conf], 3), [-1, na * h * w, no]);
  });
  return emitter.concat(`${scope}/concat`, rows, 1);
}

/** The raw NHWC maps flattened and joined over levels: `[B, N, 4 * reg_max + nc]` (rows; the export layout is its transpose). */
export function tfAnchorFreeRows(emitter: TfGraphEmitter, layout: HeadLayout, maps: readonly string[], scope: string): string {
  const flat = maps.map((map, i) => {
    const [h, w] = layout.grids[i] as readonly [number, number];
    return emitter.reshape(`${scope}/reshape`, map, [-1, h * w, layout.outputsPerAnchor]);
  });
  return emitter.concat(`${scope}/concat`, flat, 1);
}

/**
 * Ultralytics' DFL decode over rows `[B, N, 4 * reg_max + nc]`: box bins softmaxed per side and
 * reduced to their expectation over 0..reg_max-1 (distances `l, t, r, b` in cells), `x1y1 = anchor -
 * lt`, `x2y2 = anchor + rb` with anchors at cell centres, `(centre, size) * stride`, class logits
 * through sigmoid; transposed to the export layout `[B, 4 + nc, N]`.
 */
export function tfDecodeAnchorFree(emitter: TfGraphEmitter, layout: HeadLayout, rows: string, scope: string): string {
  const regMax = layout.head.regMax as number;
  const nc = layout.head.numClasses;
  const n = layout.boxes;
  const { xs, ys, strides } = anchorPoints(layout);
  const anchors = new Float32Array(2 * n);
  xs.forEach((x, k) => ([anchors[2 * k], anchors[2 * k + 1]] = [x, ys[k] as number]));
  const [box, cls] = emitter.split(`${scope}/split`, rows, [4 * regMax, nc], 2) as [string, string];
  const bins = emitter.op('Softmax', `${scope}/dfl/softmax`, [emitter.reshape(`${scope}/dfl/reshape`, box, [-1, n, 4, regMax])], { T: attr.type() });
  const projection = emitter.constant(`${scope}/dfl/projection`, Float32Array.from({ length: regMax }, (_, i) => i), [regMax]);
  const distances = emitter.op('Sum', `${scope}/dfl/sum`, [emitter.float('Mul', `${scope}/dfl/mul`, [bins, projection]), emitter.axis(3)], {
    T: attr.type(),
    Tidx: attr.type('int32'),
    keep_dims: attr.bool(false),
  });
  const [lt, rb] = emitter.split(`${scope}/split`, distances, [2, 2], 2) as [string, string];
  const points = emitter.constant(`${scope}/anchors`, anchors, [1, n, 2]);
  const x1y1 = emitter.float('Sub', `${scope}/sub`, [points, lt]);
  const x2y2 = emitter.float('AddV2', `${scope}/add`, [points, rb]);
  const centres = emitter.float('RealDiv', `${scope}/div`, [emitter.float('AddV2', `${scope}/add`, [x1y1, x2y2]), emitter.scalar(2)]);
  const sizes = emitter.float('Sub', `${scope}/sub`, [x2y2, x1y1]);
  const boxes = emitter.float('Mul', `${scope}/mul`, [emitter.concat(`${scope}/concat`, [centres, sizes], 2), emitter.constant(`${scope}/strides`, strides, [1, n, 1])]);
  const decoded = emitter.concat(`${scope}/concat`, [boxes, emitter.float('Sigmoid', `${scope}/sigmoid`, [cls])], 2);
  return emitter.transpose(`${scope}/transpose`, decoded, [0, 2, 1]);
}
