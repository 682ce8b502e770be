// Small YOLO-shaped models for the export specs: every module the built-in graph descriptions cover,
// with BatchNorm statistics and affine parameters drawn away from the identity (a fresh BN is an
// identity, which would hide a folding bug), and a dataset of the upstream fixture's input image.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { DatasetSource, Sample } from '@yolo-distill/core';
import { parseModelYaml, ULTRALYTICS_MODULES, YOLOV5_MODULES, YoloModel } from '@yolo-distill/yolo';

/** Anchor-based, three levels: Conv with explicit padding, stacked Conv, C3, Bottleneck, SPP, SPPF (yolov5: active cv1), Upsample, Concat. */
export const V5_STYLE_YAML = `nc: 3
depth_multiple: 0.33
width_multiple: 0.125
anchors:
  - [10, 13, 16, 30, 33, 23]
  - [30, 61, 62, 45, 59, 119]
  - [116, 90, 156, 198, 373, 326]
backbone:
  - [-1, 1, Conv, [64, 6, 2, 2]] # 0 /2
  - [-1, 1, Conv, [128, 3, 2]] # 1 /4
  - [-1, 3, C3, [128]] # 2
  - [-1, 1, Conv, [256, 3, 2]] # 3 /8
  - [-1, 6, Bottleneck, [256]] # 4 (two stacked copies)
  - [-1, 1, Conv, [512, 3, 2]] # 5 /16
  - [-1, 1, SPP, [512, [3, 5]]] # 6
  - [-1, 1, Conv, [512, 3, 2]] # 7 /32
  - [-1, 1, SPPF, [512, 5]] # 8
head:
  - [-1, 1, nn.Upsample, [None, 2, "nearest"]] # 9
  - [[-1, 6], 1, Concat, [1]] # 10
  - [-1, 3, C3, [256, False]] # 11
  - [-1, 1, nn.Upsample, [None, 2, "nearest"]] # 12
  - [[-1, 4], 1, Concat, [1]] # 13
  - [-1, 2, Conv, [128, 3, 1]] # 14
  - [[14, 11, 8], 1, Detect, [nc, anchors]] # 15
`;

/** Anchor-free, three levels: C2f (with and without shortcut), Ultralytics SPPF (linear cv1), DFL Detect. */
export const V8_STYLE_YAML = `nc: 2
scales:
  n: [0.33, 0.125, 1024]
backbone:
  - [-1, 1, Conv, [64, 3, 2]] # 0 /2
  - [-1, 1, Conv, [128, 3, 2]] # 1 /4
  - [-1, 3, C2f, [128, True]] # 2
  - [-1, 1, Conv, [256, 3, 2]] # 3 /8
  - [-1, 1, Conv, [512, 3, 2]] # 4 /16
  - [-1, 1, Conv, [512, 3, 2]] # 5 /32
  - [-1, 1, SPPF, [512, 5]] # 6
head:
  - [-1, 1, nn.Upsample, [None, 2, "nearest"]] # 7
  - [[-1, 4], 1, Concat, [1]] # 8
  - [-1, 3, C2f, [256]] # 9
  - [-1, 1, nn.Upsample, [None, 2, "nearest"]] # 10
  - [[-1, 3], 1, Concat, [1]] # 11
  - [-1, 3, C2f, [128]] # 12
  - [[12, 9, 6], 1, Detect, [nc]] # 13
`;

export function v5StyleModel(): YoloModel {
  return withRandomBatchNorm(new YoloModel(parseModelYaml(V5_STYLE_YAML, 'v5-style.yaml', { modules: YOLOV5_MODULES }), { name: 'v5-style', seed: 3 }), 1);
}

export function v8StyleModel(): YoloModel {
  return withRandomBatchNorm(new YoloModel(parseModelYaml(V8_STYLE_YAML, 'v8-style.yaml', { modules: ULTRALYTICS_MODULES, scale: 'n' }), { name: 'v8-style', seed: 4 }), 2);
}

/** gamma ~ U(0.5, 1.5), beta ~ U(-0.25, 0.25), mean ~ U(-0.5, 0.5), var ~ U(0.5, 2), seeded (as the fixtures' README does). */
function withRandomBatchNorm(model: YoloModel, seed: number): YoloModel {
  let k = 0;
  const draw = (n: number, low: number, high: number) => tf.randomUniform([n], low, high, 'float32', seed * 1000 + k++);
  const updates: Record<string, tf.Tensor> = {};
  for (const p of model.parameters()) {
    const n = p.variable.shape[0] as number;
    if (p.name.endsWith('.bn.weight')) updates[p.name] = draw(n, 0.5, 1.5);
    else if (p.name.endsWith('.bn.bias')) updates[p.name] = draw(n, -0.25, 0.25);
    else if (p.name.endsWith('.bn.running_mean')) updates[p.name] = draw(n, -0.5, 0.5);
    else if (p.name.endsWith('.bn.running_var')) updates[p.name] = draw(n, 0.5, 2);
  }
  model.setWeights(updates);
  tf.dispose(Object.values(updates));
  return model;
}

const FIXTURE_INPUT = fileURLToPath(new URL('../../../../../shared/fixtures/ultralytics/yolov5n.input.bin', import.meta.url));

/**
 * A dataset of the upstream fixtures' input image (160 x 160, NCHW on disk) and its mirror images:
 * `count` val samples, `classNames` as given.
 */
export function fixtureImageData(classNames: readonly string[], count = 4): DatasetSource {
  const bytes = readFileSync(FIXTURE_INPUT);
  const nchw = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const size = 160;
  const plane = size * size;
  const samples: Sample[] = Array.from({ length: count }, (_, i) => {
    const hwc = new Float32Array(3 * plane);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const sx = i % 2 === 1 ? size - 1 - x : x;
        const sy = i >= 2 ? size - 1 - y : y;
        for (let c = 0; c < 3; c++) hwc[(y * size + x) * 3 + c] = nchw[c * plane + sy * size + sx] as number;
      }
    }
    return { image: { data: hwc, width: size, height: size }, labels: { rows: new Float32Array(0), count: 0 }, source: `${FIXTURE_INPUT}#${i}` };
  });
  return {
    name: 'fixture-image',
    root: FIXTURE_INPUT,
    classNames,
    imageSize: size,
    prepare: async () => undefined,
    size: (split) => (split === 'val' ? samples.length : 0),
    sample: async (_split, index) => samples[index] as Sample,
  };
}

/** max |actual - reference| / max |reference|: the parity rule's figure, for the specs' own checks. */
export function maxRelative(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] as number) - (reference[i] as number)));
    scale = Math.max(scale, Math.abs(reference[i] as number));
  }
  return diff / scale;
}
