/**
 * The matching step of yolov7's `ComputeLossOTA.build_targets` (SimOTA's dynamic-k assignment), on plain
 * numbers: for one image, `cost` and `iou` are [gts x candidates] row-major.
 *
 * - each gt takes `k = max(1, int(sum of its 10 largest IoUs))` candidates of lowest cost;
 * - a candidate taken by several gts goes to the gt of lowest cost (over all gts, as upstream's `torch.min`);
 * - the result is, per candidate, the gt it is assigned to, or -1.
 *
 * Ties in cost are broken by the lower candidate index (torch.topk leaves them unspecified).
 */
export function dynamicKMatching(cost: Float64Array, iou: Float64Array, numGt: number, numCandidates: number): Int32Array {
  if (cost.length !== numGt * numCandidates || iou.length !== cost.length) {
    throw new Error(`dynamic-k matching: cost and iou must hold ${numGt} x ${numCandidates} values, found ${cost.length} and ${iou.length}`);
  }
  const taken = new Uint8Array(numGt * numCandidates);
  const order = Array.from({ length: numCandidates }, (_, c) => c);
  for (let g = 0; g < numGt; g++) {
    const row = g * numCandidates;
    const ious = Array.from(iou.subarray(row, row + numCandidates)).sort((a, b) => b - a);
    const topSum = ious.slice(0, Math.min(10, numCandidates)).reduce((sum, v) => sum + v, 0);
    const k = Math.max(1, Math.trunc(Math.fround(topSum)));
    const cheapest = [...order].sort((a, b) => (cost[row + a] as number) - (cost[row + b] as number) || a - b);
    for (const c of cheapest.slice(0, k)) taken[row + c] = 1;
  }
  const assigned = new Int32Array(numCandidates).fill(-1);
  for (let c = 0; c < numCandidates; c++) {
    let count = 0;
    for (let g = 0; g < numGt; g++) if (taken[g * numCandidates + c]) count++;
    if (count === 0) continue;
    if (count === 1) {
      for (let g = 0; g < numGt; g++) if (taken[g * numCandidates + c]) assigned[c] = g;
      continue;
    }
    let best = 0;
    for (let g = 1; g < numGt; g++) if ((cost[g * numCandidates + c] as number) < (cost[best * numCandidates + c] as number)) best = g;
    assigned[c] = best;
  }
  return assigned;
}

/** `-log(iou + 1e-8)`: the IoU part of the cost (weighted by 3 in the total). */
export const iouCost = (iou: number): number => -Math.log(iou + 1e-8);

/**
 * The class part of the cost for one candidate and every class: with `y_c = sqrt(sigmoid(cls_c) * sigmoid(obj))`,
 * `sum_c BCE(y_c, onehot(gt)_c)`. Returned as a function of the gt class: `base - logit(y_gt)`, since
 * `BCE(y, 1) - BCE(y, 0) = -logit(y)` and `base = sum_c -log(1 - y_c)`.
 */
export function classCost(classLogits: ArrayLike<number>, objLogit: number): (gtClass: number) => number {
  const obj = sigmoid(objLogit);
  const logits = Array.from({ length: classLogits.length }, (_, c) => {
    const y = Math.sqrt(sigmoid(classLogits[c] as number) * obj);
    return Math.log(y / (1 - y));
  });
  // BCE-with-logits(x, 0) = softplus(x), computed stably.
  const base = logits.reduce((sum, x) => sum + Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), 0);
  return (gtClass) => base - (logits[gtClass] as number);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
