import { defaultBalance, parseModelYaml, YoloModel, type ModelSpec, type YoloLossFunction } from '@yolo-distill/yolo';
import { yolov3Modules } from './yolov3-modules.js';
import { YOLOV3_SPP_YAML, YOLOV3_TINY_YAML, YOLOV3_YAML } from './yolov3-yamls.js';

/** The three models of ultralytics/yolov3, by their file names (each YAML fixes its own depth and width). */
export const YOLOV3_SCALES = ['yolov3', 'yolov3-tiny', 'yolov3-spp'] as const;
export type YoloV3Scale = (typeof YOLOV3_SCALES)[number];

const TEXTS: Record<YoloV3Scale, string> = { yolov3: YOLOV3_YAML, 'yolov3-tiny': YOLOV3_TINY_YAML, 'yolov3-spp': YOLOV3_SPP_YAML };

/** How errors name the embedded definition of a scale: `@yolo-distill/yolo-v3/yolov3-tiny.yaml`. */
export const yoloV3YamlFile = (scale: YoloV3Scale): string => `@yolo-distill/yolo-v3/${scale}.yaml`;

export interface BuildYoloV3Options {
  readonly scale: string;
  readonly numClasses: number;
  /** The native loss (ComputeLoss, as yolov5's); `model.loss()` throws without one. */
  readonly loss?: YoloLossFunction;
  /** Seeds the initial weights. */
  readonly seed?: number;
  /** Another model YAML instead of the built-in one: its text and the file name for errors. */
  readonly yaml?: { readonly text: string; readonly file: string };
}

function checkScale(scale: string): YoloV3Scale {
  if (!(YOLOV3_SCALES as readonly string[]).includes(scale)) throw new Error(`unknown YOLOv3 model '${scale}'; choose ${YOLOV3_SCALES.join(', ')}`);
  return scale as YoloV3Scale;
}

/** The parsed definition of one of the three models for a class count. */
export function yoloV3Spec(options: Pick<BuildYoloV3Options, 'scale' | 'numClasses' | 'yaml'>): ModelSpec {
  const scale = checkScale(options.scale);
  const { text, file } = options.yaml ?? { text: TEXTS[scale], file: yoloV3YamlFile(scale) };
  return parseModelYaml(text, file, { modules: yolov3Modules(), numClasses: options.numClasses });
}

/** A YOLOv3, YOLOv3-tiny or YOLOv3-SPP with fresh, seeded weights; import trained ones with `importOnnxWeights`. */
export function buildYoloV3(options: BuildYoloV3Options): YoloModel {
  const spec = yoloV3Spec(options);
  return new YoloModel(spec, { name: options.scale, loss: options.loss, seed: options.seed, levelBalance: defaultBalance });
}
