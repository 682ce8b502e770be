import { readFileSync } from 'node:fs';
import { YOLOV3_SPP_YAML, YOLOV3_TINY_YAML, YOLOV3_YAML } from './yolov3-yamls.js';

const source = (name: string): string => readFileSync(new URL(name, import.meta.url), 'utf8');

describe('the embedded YOLOv3 model YAMLs', () => {
  it.each([
    ['yolov3.yaml', YOLOV3_YAML],
    ['yolov3-tiny.yaml', YOLOV3_TINY_YAML],
    ['yolov3-spp.yaml', YOLOV3_SPP_YAML],
  ])('hold the text of %s', (file, text) => {
    expect(text).toBe(source(file));
  });
});
