import { existsSync } from 'node:fs';
import { FIXTURES, ULTRALYTICS_FIXTURES, readFixtureFloats, readFixtureJson, ultralyticsFixture } from './fixtures.js';

describe('shared fixtures', () => {
  it('finds ../shared/fixtures beside the workspace, with the Ultralytics exports inside', () => {
    expect(ULTRALYTICS_FIXTURES.startsWith(FIXTURES)).toBe(true);
    expect(ULTRALYTICS_FIXTURES.endsWith('/ultralytics/')).toBe(true);
    for (const name of ['yolov5n.onnx', 'yolov8n.onnx', 'yolov3-tiny.onnx', 'yolov7-tiny.onnx']) expect(existsSync(ultralyticsFixture(name)), name).toBe(true);
  });

  it('reads a float32 input as its own copy of 1 x 3 x 160 x 160 values in [0, 1]', () => {
    const input = readFixtureFloats('yolov5n.input.bin');
    expect(input.length).toBe(3 * 160 * 160);
    expect(input.byteOffset).toBe(0);
    expect(Math.min(...input.subarray(0, 4096))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...input.subarray(0, 4096))).toBeLessThanOrEqual(1);
  });

  it('reads a json fixture', () => {
    expect(readFixtureJson<{ nc: number; strides: number[] }>('yolov5n.json')).toMatchObject({ nc: 80, strides: [8, 16, 32] });
  });
});
