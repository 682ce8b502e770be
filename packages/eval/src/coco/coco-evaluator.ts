import { accumulate, type PrecisionCurve } from './accumulate.js';
import { COCO_PARAMS, type CocoParams, type EvalDetection, type EvalGroundTruth } from './coco-types.js';
import { evaluateImage } from './evaluate-image.js';

type AreaName = keyof CocoParams['areaRanges'];

/** The twelve numbers of COCO's bbox summary, plus per-class AP; -1 where nothing counts (as pycocotools). */
export interface CocoSummary {
  readonly map: number;
  readonly map50: number;
  readonly map75: number;
  readonly mapSmall: number;
  readonly mapMedium: number;
  readonly mapLarge: number;
  readonly ar1: number;
  readonly ar10: number;
  readonly ar100: number;
  readonly arSmall: number;
  readonly arMedium: number;
  readonly arLarge: number;
  /** AP@0.5:0.95 and AP@0.5 per category id (area all, 100 detections). */
  readonly perClass: Readonly<Record<number, { readonly ap: number; readonly ap50: number }>>;
}

const mean = (values: readonly number[]): number => {
  const counted = values.filter((v) => v > -1);
  return counted.length === 0 ? -1 : counted.reduce((a, b) => a + b, 0) / counted.length;
};

/** COCO bbox evaluation exactly as pycocotools (evaluate, accumulate, summarize) defines it. */
export function evaluateCoco(
  detections: readonly EvalDetection[],
  truths: readonly EvalGroundTruth[],
  options: { readonly categories?: readonly number[]; readonly params?: CocoParams } = {},
): CocoSummary {
  const params = options.params ?? COCO_PARAMS;
  const categories = options.categories ?? [...new Set(truths.map((g) => g.category))].sort((a, b) => a - b);
  const images = [...new Set([...truths.map((g) => g.image), ...detections.map((d) => d.image)])];
  const key = (image: string | number, category: number) => `${String(image)}\u0000${category}`;
  const detectionsBy = groupBy(detections, (d) => key(d.image, d.category));
  const truthsBy = groupBy(truths, (g) => key(g.image, g.category));
  const maxDetections = Math.max(...params.maxDets);

  // curves[area][maxDets][category] -> per threshold
  const curves = new Map<string, PrecisionCurve[]>();
  for (const area of Object.keys(params.areaRanges) as AreaName[]) {
    for (const category of categories) {
      const evaluations = images.map((image) =>
        evaluateImage(detectionsBy.get(key(image, category)) ?? [], truthsBy.get(key(image, category)) ?? [], params.areaRanges[area], maxDetections, params.iouThresholds),
      );
      for (const maxDets of params.maxDets) {
        curves.set(`${area}|${maxDets}|${category}`, accumulate(evaluations, maxDets, params.iouThresholds.length, params.recallThresholds));
      }
    }
  }

  const thresholdIndex = (iou: number) => params.iouThresholds.findIndex((t) => Math.abs(t - iou) < 1e-9);
  const precisionValues = (area: AreaName, maxDets: number, threshold?: number, only?: number) => {
    const values: number[] = [];
    for (const category of only === undefined ? categories : [only]) {
      const perThreshold = curves.get(`${area}|${maxDets}|${category}`) ?? [];
      perThreshold.forEach((curve, t) => {
        if (threshold !== undefined && t !== threshold) return;
        values.push(...(curve.precision ?? params.recallThresholds.map(() => -1)));
      });
    }
    return values;
  };
  const recallValues = (area: AreaName, maxDets: number) => {
    const values: number[] = [];
    for (const category of categories) for (const curve of curves.get(`${area}|${maxDets}|${category}`) ?? []) values.push(curve.recall ?? -1);
    return values;
  };
  const top = params.maxDets[params.maxDets.length - 1] as number;
  const ap = (area: AreaName, iou?: number, only?: number) => mean(precisionValues(area, top, iou === undefined ? undefined : thresholdIndex(iou), only));
  const perClass: Record<number, { ap: number; ap50: number }> = {};
  for (const category of categories) perClass[category] = { ap: ap('all', undefined, category), ap50: ap('all', 0.5, category) };
  return {
    map: ap('all'),
    map50: ap('all', 0.5),
    map75: ap('all', 0.75),
    mapSmall: ap('small'),
    mapMedium: ap('medium'),
    mapLarge: ap('large'),
    ar1: mean(recallValues('all', params.maxDets[0] as number)),
    ar10: mean(recallValues('all', params.maxDets[1] as number)),
    ar100: mean(recallValues('all', top)),
    arSmall: mean(recallValues('small', top)),
    arMedium: mean(recallValues('medium', top)),
    arLarge: mean(recallValues('large', top)),
    perClass,
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
