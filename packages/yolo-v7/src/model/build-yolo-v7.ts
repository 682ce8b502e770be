import { defaultBalance, parseModelYaml, YoloModel, type ModelSpec, type YoloLossFunction } from '@yolo-distill/yolo';
import { yolov7Modules } from './yolov7-modules.js';
import { YOLOV7_TINY_YAML, YOLOV7_YAML } from './yolov7-yamls.js';

/** The models of WongKinYiu/yolov7's cfg/training, by their file names (each YAML fixes its own depth and width). */
export const YOLOV7_SCALES = ['yolov7', 'yolov7-tiny'] as const;
export type YoloV7Scale = (typeof YOLOV7_SCALES)[number];

const TEXTS: Record<YoloV7Scale, string> = { yolov7: YOLOV7_YAML, 'yolov7-tiny': YOLOV7_TINY_YAML };

/** How errors name the embedded definition of a scale: `@yolo-distill/yolo-v7/yolov7-tiny.yaml`. */
export const yoloV7YamlFile = (scale: YoloV7Scale): string => `@yolo-distill/yolo-v7/${scale}.yaml`;

export interface BuildYoloV7Options {
  readonly scale: string;
  readonly numClasses: number;
  /** The native loss (ComputeLossOTA); `model.loss()` throws without one. */
  readonly loss?: YoloLossFunction;
  /** Seeds the initial weights. */
  readonly seed?: number;
  /** Another model YAML instead of the built-in one: its text and the file name for errors. */
  readonly yaml?: { readonly text: string; readonly file: string };
}

function checkScale(scale: string): YoloV7Scale {
  if (!(YOLOV7_SCALES as readonly string[]).includes(scale)) throw new Error(`unknown YOLOv7 model '${scale}'; choose ${YOLOV7_SCALES.join(', ')}`);
  return scale as YoloV7Scale;
}

/** The parsed definition of one of the models for a class count. */
export function yoloV7Spec(options: Pick<BuildYoloV7Options, 'scale' | 'numClasses' | 'yaml'>): ModelSpec {
  const scale = checkScale(options.scale);
  const { text, file } = options.yaml ?? { text: TEXTS[scale], file: yoloV7YamlFile(scale) };
  return parseModelYaml(text, file, { modules: yolov7Modules(), numClasses: options.numClasses });
}

/** A YOLOv7 or YOLOv7-tiny with fresh, seeded weights; import trained ones with `importOnnxWeights`. */
export function buildYoloV7(options: BuildYoloV7Options): YoloModel {
  return new YoloModel(yoloV7Spec(options), { name: options.scale, loss: options.loss, seed: options.seed, levelBalance: defaultBalance });
}
