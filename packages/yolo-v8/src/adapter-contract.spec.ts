import { describeAdapterContract } from '@yolo-distill/yolo/testing';
import { yoloV8Plugin } from './plugin.js';

describeAdapterContract({
  plugin: yoloV8Plugin,
  type: 'yolov8.Model',
  // The Ultralytics model summaries (nc 80).
  scales: { n: 3_157_200, s: 11_166_560, m: 25_902_640, l: 43_691_520, x: 68_229_648 },
  smallest: { scale: 'n' },
  // The task-aligned loss rises for its first steps from fresh weights; lr 2e-3 over 30 steps as model-descriptor.spec.ts.
  training: { lr: 0.002, steps: 30 },
  headKind: 'anchor-free',
  strides: [8, 16, 32],
  taps: ['neck.0', 'neck.1', 'neck.2'],
  fixture: { name: 'yolov8n', scale: 'n' },
});
