import { describeAdapterContract } from '@yolo-distill/yolo/testing';
import { YOLOV7_TINY_YAML } from './model/yolov7-yamls.js';
import { yoloV7Plugin } from './plugin.js';

// The fixture's model, and the cheap one for the training checks: yolov7-tiny.yaml at width_multiple 0.25.
const tiny = { file: 'yolov7-tiny-w0.25.yaml', text: YOLOV7_TINY_YAML.replace('width_multiple: 1.0', 'width_multiple: 0.25') };

describeAdapterContract({
  plugin: yoloV7Plugin,
  type: 'yolov7.Model',
  // yolov7: WongKinYiu/yolov7's model summary (37,620,125 at nc 80) plus IDetect's ImplicitA (one per input channel)
  // and ImplicitM (3 x 255), which it leaves out (see build-yolo-v7.spec.ts). yolov7-tiny: no full-width reference
  // here (its parity spec checks the fixture's params_unfused at width 0.25).
  scales: { yolov7: 37_620_125 + 256 + 512 + 1024 + 3 * 255, 'yolov7-tiny': undefined },
  smallest: { scale: 'yolov7-tiny', cfg: tiny },
  headKind: 'anchor-based',
  strides: [8, 16, 32],
  taps: ['neck.0', 'neck.1', 'neck.2'],
  fixture: { name: 'yolov7-tiny', scale: 'yolov7-tiny', cfg: tiny },
});
