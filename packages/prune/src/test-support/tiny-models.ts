// Test helper (the lib build leaves test-support/ out): small models with the structure of YOLOv5 and
// YOLOv8 (every module the pruner must couple), fast on any backend.
import type { DatasetSource, Sample } from '@yolo-distill/core';
import { parseModelYaml, ULTRALYTICS_MODULES, YOLOV5_MODULES, YoloModel, yoloV5LossFunction, yoloV8LossFunction } from '@yolo-distill/yolo';


/** v5-style: C3 with residuals (backbone) and without (head), SPPF, upsample, concat, a two-level anchor-based Detect. */
export const TINY_V5_YAML = `nc: 2
depth_multiple: 0.33
width_multiple: 0.25
anchors:
  - [10, 13, 16, 30, 33, 23]
  - [30, 61, 62, 45, 59, 119]
backbone:
  - [-1, 1, Conv, [64, 6, 2, 2]]
  - [-1, 1, Conv, [128, 3, 2]]
  - [-1, 6, C3, [128]]
  - [-1, 1, Conv, [256, 3, 2]]
  - [-1, 3, C3, [256]]
  - [-1, 1, Conv, [512, 3, 2]]
  - [-1, 1, SPPF, [512, 5]]
head:
  - [-1, 1, Conv, [256, 1, 1]]
  - [-1, 1, nn.Upsample, [None, 2, "nearest"]]
  - [[-1, 4], 1, Concat, [1]]
  - [-1, 3, C3, [256, False]]
  - [[10, 7], 1, Detect, [nc, anchors]]
`;

/** v8-style: C2f with residuals (backbone) and without (head), the linear-cv1 SPPF, upsample, concat, a two-level DFL Detect. */
export const TINY_V8_YAML = `nc: 3
scales:
  n: [0.33, 0.25, 1024]
backbone:
  - [-1, 1, Conv, [64, 3, 2]]
  - [-1, 1, Conv, [128, 3, 2]]
  - [-1, 6, C2f, [128, True]]
  - [-1, 1, Conv, [256, 3, 2]]
  - [-1, 3, C2f, [256, True]]
  - [-1, 1, Conv, [512, 3, 2]]
  - [-1, 1, SPPF, [512, 5]]
head:
  - [-1, 1, nn.Upsample, [None, 2, "nearest"]]
  - [[-1, 4], 1, Concat, [1]]
  - [-1, 3, C2f, [256]]
  - [[9, 6], 1, Detect, [nc]]
`;

export function tinyModel(version: 'v5' | 'v8', seed = 1): YoloModel {
  const spec =
    version === 'v5'
      ? parseModelYaml(TINY_V5_YAML, 'tiny-v5.yaml', { modules: YOLOV5_MODULES })
      : parseModelYaml(TINY_V8_YAML, 'tiny-v8.yaml', { modules: ULTRALYTICS_MODULES, scale: 'n' });
  return new YoloModel(spec, { name: `tiny-${version}`, seed, loss: version === 'v5' ? yoloV5LossFunction() : yoloV8LossFunction() });
}

/** `count` seeded images of `size` px with one box each, in memory: enough for a loss and its gradients. */
export function tinyData(classes: number, size = 64, count = 8): DatasetSource {
  let state = 12345;
  const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const samples: Sample[] = Array.from({ length: count }, (_, i) => ({
    image: { data: Float32Array.from({ length: size * size * 3 }, next), width: size, height: size },
    labels: { rows: Float32Array.from([i % classes, 0.3 + 0.4 * next(), 0.3 + 0.4 * next(), 0.2 + 0.2 * next(), 0.2 + 0.2 * next()]), count: 1 },
    source: `memory-${i}`,
  }));
  return {
    name: 'tiny-memory',
    root: 'memory',
    classNames: Array.from({ length: classes }, (_, i) => `c${i}`),
    imageSize: size,
    prepare: async () => undefined,
    size: () => samples.length,
    sample: async (_split, index) => samples[index % samples.length] as Sample,
  };
}
