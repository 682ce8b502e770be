import { readFileSync } from 'node:fs';
import { YOLOV7_TINY_YAML, YOLOV7_YAML } from './yolov7-yamls.js';

const source = (name: string): string => readFileSync(new URL(name, import.meta.url), 'utf8');

describe('the embedded YOLOv7 model YAMLs', () => {
  it.each([
    ['yolov7.yaml', YOLOV7_YAML],
    ['yolov7-tiny.yaml', YOLOV7_TINY_YAML],
  ])('hold the text of %s', (file, text) => {
    expect(text).toBe(source(file));
  });
});
