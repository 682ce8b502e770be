// The class count of an anchor-based head, whose convs only tell na * (5 + nc).
import type { OnnxModelFile } from '../onnx/onnx-model.js';

/**
 * Splits an anchor-based head's `na * (5 + nc)` conv channels. The class count comes from
 * `classes` when given, else from the file's `names` metadata (Ultralytics writes `{0: 'person', ...}`),
 * else from the last dim of an output shaped `[..., 5 + nc]` (decoded `[1, 25200, 85]` or raw
 * `[1, 3, 80, 80, 85]`).
 */
export function anchorBasedClasses(model: OnnxModelFile, layer: string, channels: number, classes?: number): { numClasses: number; anchorsPerLevel: number } {
  const split = (nc: number) => ({ numClasses: nc, anchorsPerLevel: channels / (5 + nc) });
  const fits = (nc: number) => nc > 0 && channels % (5 + nc) === 0;
  if (classes !== undefined) {
    if (!fits(classes)) throw new Error(`${model.source}: 'classes' is ${classes} but the head convs of ${layer} have ${channels} channels, not a multiple of 5 + ${classes}`);
    return split(classes);
  }
  const named = countNames(model.metadata['names']);
  if (named !== undefined && fits(named)) return split(named);
  for (const output of model.outputs) {
    const last = output.dims?.[output.dims.length - 1];
    if (typeof last === 'number' && fits(last - 5)) return split(last - 5);
  }
  throw new Error(
    `${model.source}: cannot tell the class count of the anchor-based head ${layer} from its ${channels} channels (na * (5 + nc)): ` +
      "the file has no 'names' metadata and no output shaped [..., 5 + nc]; set 'classes'",
  );
}

const PYTHON_STRING = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;

/** Entries of a Python dict or list literal as Ultralytics writes `names`; undefined if it is neither. */
export function countNames(names: string | undefined): number | undefined {
  const text = names?.trim();
  if (!text) return undefined;
  const strings = text.match(PYTHON_STRING) ?? [];
  if (text.startsWith('[')) return strings.length > 0 ? strings.length : undefined;
  if (!text.startsWith('{')) return undefined;
  const keys = text.replace(PYTHON_STRING, "''").match(/(?:^\{|,)\s*\d+\s*:/g);
  return keys ? keys.length : undefined;
}
