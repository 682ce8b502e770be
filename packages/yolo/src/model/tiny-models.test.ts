// Test helper, not a test (vitest runs *.spec.ts; the lib build leaves *.test.ts out): small model YAMLs
// with the shape of YOLOv5 and YOLOv8, fast enough for unit tests on every backend.

/** v5-style: depth/width multiples, anchors, C3, SPPF, two-level anchor-based Detect. */
export const TINY_V5_YAML = `nc: 2
depth_multiple: 0.33
width_multiple: 0.25
anchors:
  - [10, 13, 16, 30, 33, 23]
  - [30, 61, 62, 45, 59, 119]
backbone:
  - [-1, 1, Conv, [64, 6, 2, 2]] # 0 stride 2
  - [-1, 1, Conv, [128, 3, 2]] # 1 stride 4
  - [-1, 3, C3, [128]] # 2
  - [-1, 1, Conv, [256, 3, 2]] # 3 stride 8
  - [-1, 6, C3, [256]] # 4
  - [-1, 1, Conv, [512, 3, 2]] # 5 stride 16
  - [-1, 1, SPPF, [512, 5]] # 6
head:
  - [-1, 1, nn.Upsample, [None, 2, "nearest"]] # 7
  - [[-1, 4], 1, Concat, [1]] # 8
  - [-1, 3, C3, [256, False]] # 9
  - [[9, 6], 1, Detect, [nc, anchors]] # 10
`;

/** v8-style: scales with max_channels, C2f, SPPF, two-level DFL Detect. */
export const TINY_V8_YAML = `nc: 3
scales:
  n: [0.33, 0.25, 1024]
  l: [1.0, 1.0, 128]
backbone:
  - [-1, 1, Conv, [64, 3, 2]] # 0 stride 2
  - [-1, 1, Conv, [128, 3, 2]] # 1 stride 4
  - [-1, 3, C2f, [128, True]] # 2
  - [-1, 1, Conv, [256, 3, 2]] # 3 stride 8
  - [-1, 1, Conv, [512, 3, 2]] # 4 stride 16
  - [-1, 1, SPPF, [512, 5]] # 5
head:
  - [-1, 1, nn.Upsample, [None, 2, "nearest"]] # 6
  - [[-1, 3], 1, Concat, [1]] # 7
  - [-1, 3, C2f, [256]] # 8
  - [[8, 5], 1, Detect, [nc]] # 9
`;
