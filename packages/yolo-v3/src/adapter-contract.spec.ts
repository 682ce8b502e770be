import { describeAdapterContract } from '@yolo-distill/yolo/testing';
import { YOLOV3_TINY_YAML } from './model/yolov3-yamls.js';
import { yoloV3Plugin } from './plugin.js';

// The fixture's model, and the cheap one for the training checks: yolov3-tiny.yaml at width_multiple 0.25.
const tiny = { file: 'yolov3-tiny-w0.25.yaml', text: YOLOV3_TINY_YAML.replace('width_multiple: 1.0', 'width_multiple: 0.25') };

describeAdapterContract({
  plugin: yoloV3Plugin,
  type: 'yolov3.Model',
  // Counted by hand from the layer lists (see build-yolo-v3.spec.ts); ultralytics/yolov3's README: 61.9 M, 8.8 M, 63.0 M.
  scales: { yolov3: 61_949_149, 'yolov3-tiny': 8_852_366, 'yolov3-spp': 62_998_749 },
  smallest: { scale: 'yolov3-tiny', cfg: tiny },
  headKind: 'anchor-based',
  strides: [16, 32],
  taps: ['neck.0', 'neck.1'],
  fixture: { name: 'yolov3-tiny', scale: 'yolov3-tiny', cfg: tiny },
});
