import { describeAdapterContract } from '@yolo-distill/yolo/testing';
import { yoloV5Plugin } from './plugin.js';

describeAdapterContract({
  plugin: yoloV5Plugin,
  type: 'yolov5.Model',
  // The upstream model summaries (ultralytics/yolov5 v7.0, nc 80); n is the fixture's params_unfused.
  scales: { n: 1_872_157, s: 7_235_389, m: 21_190_557, l: 46_563_709, x: 86_749_405 },
  smallest: { scale: 'n' },
  headKind: 'anchor-based',
  strides: [8, 16, 32],
  taps: ['neck.0', 'neck.1', 'neck.2'],
  fixture: { name: 'yolov5n', scale: 'n' },
});
