import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared reference fixtures (DESIGN.md: `../shared/fixtures`, beside the workspace, never copied
 * into it). `YOLO_DISTILL_FIXTURES` points elsewhere, e.g. for a copy of the workspace in a temp folder.
 * Ends with a separator, so `${FIXTURES}name` and `join(FIXTURES, name)` both work.
 */
export const FIXTURES: string = process.env['YOLO_DISTILL_FIXTURES']
  ? join(process.env['YOLO_DISTILL_FIXTURES'], '/')
  : // packages/core/{src,dist}/testing/ -> <workspace>/../shared/fixtures/
    fileURLToPath(new URL('../../../../../shared/fixtures/', import.meta.url));

/** The Ultralytics ONNX exports with their inputs, outputs and features (the fixtures README says the layouts). */
export const ULTRALYTICS_FIXTURES: string = join(FIXTURES, 'ultralytics', '/');

/** The path of one file of the Ultralytics fixtures: `ultralyticsFixture('yolov5n.onnx')`. */
export function ultralyticsFixture(name: string): string {
  return join(ULTRALYTICS_FIXTURES, name);
}

/** A float32 little-endian `.bin` fixture (input, output or feature map) as its own copy of the values. */
export function readFixtureFloats(name: string): Float32Array {
  const bytes = readFileSync(ultralyticsFixture(name));
  if (bytes.byteLength % 4 !== 0) throw new Error(`${ultralyticsFixture(name)}: ${bytes.byteLength} bytes is not a whole number of float32 values`);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** A `.json` fixture (a model's metadata: shapes, parameter counts, strides). */
export function readFixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(ultralyticsFixture(name), 'utf8')) as T;
}
