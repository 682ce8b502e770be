import type { OnnxModelFile } from '@yolo-distill/yolo';
import { TrainedModelError } from './trained-model.js';

const ENTRY = /(\d+)\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;

/**
 * The class names an export carries in its `names` metadata (Ultralytics writes a Python dict
 * `{0: 'person', 1: 'bicycle'}`); without it, the count from a decoded output `[.., 5 + nc]` or
 * `[B, 4 + nc, N]` is not knowable for sure, so it is an error naming the file.
 */
export function onnxClassNames(file: OnnxModelFile): string[] {
  const text = file.metadata['names'];
  if (!text) throw new TrainedModelError(`${file.source}: no 'names' metadata (the class names); export it with Ultralytics or yolo-distill`);
  const names: string[] = [];
  for (const match of text.matchAll(ENTRY)) names[Number(match[1])] = (match[2] ?? match[3] ?? '').replace(/\\(.)/g, '$1');
  const gap = Array.from({ length: names.length }, (_, i) => i).find((i) => names[i] === undefined);
  if (names.length === 0 || gap !== undefined) throw new TrainedModelError(`${file.source}: cannot read the 'names' metadata as {0: 'name', 1: ...}${gap !== undefined ? ` (no name for class ${gap})` : ''}: ${text.slice(0, 80)}`);
  return names;
}
