import type { AdapterNames } from './adapter-names.js';

/**
 * The model YAML a new adapter starts from: a small YOLOv5-style network (Conv, C3, SPPF and the
 * anchor-based Detect of `yolov5Modules()`) at one scale, so that the package builds and its contract
 * suite runs (its loss falls within the suite's four steps) before the real definition is written in.
 */
export function placeholderYaml(names: AdapterNames): string {
  return `# TODO: replace with the upstream ${names.display} model YAML (rows [from, repeats, module, args] and its scales).
# This placeholder is a small YOLOv5-style network so that the package builds and its tests run: the backbone
# of yolov5.yaml feeding the anchor-based Detect directly (no neck). Modules the upstream YAML uses that the
# build's module list lacks need entries (packages/yolo/src/modules: one file each, added to a module list).

nc: 80 # number of classes
scales: # [depth_multiple, width_multiple, max_channels]
  n: [0.33, 0.25, 1024]
anchors:
  - [10, 13, 16, 30, 33, 23] # P3/8
  - [30, 61, 62, 45, 59, 119] # P4/16
  - [116, 90, 156, 198, 373, 326] # P5/32

backbone:
  # [from, repeats, module, args]
  [
    [-1, 1, Conv, [64, 6, 2, 2]], # 0-P1/2
    [-1, 1, Conv, [128, 3, 2]], # 1-P2/4
    [-1, 3, C3, [128]],
    [-1, 1, Conv, [256, 3, 2]], # 3-P3/8
    [-1, 6, C3, [256]],
    [-1, 1, Conv, [512, 3, 2]], # 5-P4/16
    [-1, 9, C3, [512]],
    [-1, 1, Conv, [1024, 3, 2]], # 7-P5/32
    [-1, 3, C3, [1024]],
    [-1, 1, SPPF, [1024, 5]], # 9
  ]

head:
  [
    [[4, 6, 9], 1, Detect, [nc, anchors]], # Detect(P3, P4, P5)
  ]
`;
}
