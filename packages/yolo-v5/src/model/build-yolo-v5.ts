import { defaultBalance, parseModelYaml, YoloModel, yolov5Modules, type ModelSpec, type YoloLossFunction } from '@yolo-distill/yolo';
import { YOLOV5_YAML } from './yolov5-yaml.js';

/** The scales of `yolov5.yaml` ([depth_multiple, width_multiple]: n 0.33/0.25, s 0.33/0.50, m 0.67/0.75, l 1/1, x 1.33/1.25). */
export const YOLOV5_SCALES = ['n', 's', 'm', 'l', 'x'] as const;

/** How errors name the embedded definition. */
export const YOLOV5_YAML_FILE = '@yolo-distill/yolo-v5/yolov5.yaml';

export interface BuildYoloV5Options {
  readonly scale: string;
  readonly numClasses: number;
  /** The native loss (`createYoloV5Loss`-based); `model.loss()` throws without one. */
  readonly loss?: YoloLossFunction;
  /** Seeds the initial weights. */
  readonly seed?: number;
  /** Another v5-style model YAML instead of the built-in one: its text and the file name for errors. */
  readonly yaml?: { readonly text: string; readonly file: string };
}

/** The parsed YOLOv5 definition (v6.0+: 6x6 stem, C3, SPPF, anchor-based Detect) for one scale and class count. */
export function yoloV5Spec(options: Pick<BuildYoloV5Options, 'scale' | 'numClasses' | 'yaml'>): ModelSpec {
  const { text, file } = options.yaml ?? { text: YOLOV5_YAML, file: YOLOV5_YAML_FILE };
  return parseModelYaml(text, file, { modules: yolov5Modules(), scale: options.scale, numClasses: options.numClasses });
}

/** A YOLOv5 model (`yolov5n` ... `yolov5x`) with fresh, seeded weights; import trained ones with `importOnnxWeights`. */
export function buildYoloV5(options: BuildYoloV5Options): YoloModel {
  const spec = yoloV5Spec(options);
  return new YoloModel(spec, { name: `yolov5${options.scale}`, loss: options.loss, seed: options.seed, levelBalance: defaultBalance });
}
