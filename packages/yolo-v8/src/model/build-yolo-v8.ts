import { parseModelYaml, ultralyticsModules, YoloModel, type ModelSpec, type YoloLossFunction } from '@yolo-distill/yolo';
import { YOLOV8_YAML } from './yolov8-yaml.js';

/** The scales of `yolov8.yaml` ([depth, width, max_channels]: n [0.33, 0.25, 1024] ... x [1.0, 1.25, 512]). */
export const YOLOV8_SCALES = ['n', 's', 'm', 'l', 'x'] as const;

/** How errors name the embedded definition. */
export const YOLOV8_YAML_FILE = '@yolo-distill/yolo-v8/yolov8.yaml';

export interface BuildYoloV8Options {
  readonly scale: string;
  readonly numClasses: number;
  /** The native loss (v8DetectionLoss-based); `model.loss()` throws without one. */
  readonly loss?: YoloLossFunction;
  /** Seeds the initial weights. */
  readonly seed?: number;
  /** Another Ultralytics-style model YAML instead of the built-in one: its text and the file name for errors. */
  readonly yaml?: { readonly text: string; readonly file: string };
}

/** The parsed YOLOv8 definition (C2f, SPPF, anchor-free DFL Detect) for one scale and class count. */
export function yoloV8Spec(options: Pick<BuildYoloV8Options, 'scale' | 'numClasses' | 'yaml'>): ModelSpec {
  const { text, file } = options.yaml ?? { text: YOLOV8_YAML, file: YOLOV8_YAML_FILE };
  return parseModelYaml(text, file, { modules: ultralyticsModules(), scale: options.scale, numClasses: options.numClasses });
}

/** A YOLOv8 model (`yolov8n` ... `yolov8x`) with fresh, seeded weights; import trained ones with `importOnnxWeights`. */
export function buildYoloV8(options: BuildYoloV8Options): YoloModel {
  const spec = yoloV8Spec(options);
  return new YoloModel(spec, { name: `yolov8${options.scale}`, loss: options.loss, seed: options.seed });
}
