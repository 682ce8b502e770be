import { createHash } from 'node:crypto';
import type { DetectionModel } from '@yolo-distill/core';

/** Where an exported model came from, for its metadata. */
export interface ExportProvenance {
  /** The pipeline's name. */
  readonly pipeline?: string;
  /** The checkpoint folder (or file) the weights were read from. */
  readonly checkpoint?: string;
  /** sha256 of that checkpoint's tensors (its `tensors.bin`, or the ONNX file). */
  readonly checkpointSha256?: string;
}

export interface ExportMetadataInput {
  readonly model: DetectionModel;
  readonly classNames: readonly string[];
  readonly imageSize: readonly [number, number];
  readonly batch: number | 'dynamic';
  readonly output: string;
  readonly version: string;
  readonly provenance: ExportProvenance;
  readonly date?: Date;
}

/** A Python literal string as Ultralytics writes names (`'circle'`), quotes and backslashes escaped. */
function pythonString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The metadata_props of an export, in Ultralytics' keys and formats (`stride` the largest stride,
 * `names` a Python dict, `imgsz` `[h, w]`, `task`, `batch`, `date`, `version`, `description`, `author`)
 * plus the provenance: `pipeline`, `source_checkpoint`, `source_sha256` and `weights_sha256` (of the
 * exported weights themselves), `head` and `output`.
 */
export function exportMetadata(input: ExportMetadataInput): Record<string, string> {
  const { model, provenance } = input;
  const names = `{${input.classNames.map((name, i) => `${i}: ${pythonString(name)}`).join(', ')}}`;
  const entries: Record<string, string> = {
    description: `${model.name} (${model.headKind}, ${model.numClasses} classes) exported by yolo-distill`,
    author: 'yolo-distill',
    date: (input.date ?? new Date()).toISOString(),
    version: input.version,
    task: 'detect',
    stride: String(Math.max(...model.strides)),
    names,
    imgsz: `[${input.imageSize[0]}, ${input.imageSize[1]}]`,
    batch: String(input.batch),
    head: model.headKind,
    output: input.output,
    weights_sha256: weightsSha256(model),
  };
  if (provenance.pipeline !== undefined) entries['pipeline'] = provenance.pipeline;
  if (provenance.checkpoint !== undefined) entries['source_checkpoint'] = provenance.checkpoint;
  if (provenance.checkpointSha256 !== undefined) entries['source_sha256'] = provenance.checkpointSha256;
  return entries;
}

/** sha256 over the model's weights: names in order, shapes and float32 values (the same weights give the same hash). */
export function weightsSha256(model: DetectionModel): string {
  const hash = createHash('sha256');
  const weights = model.getWeights();
  for (const name of Object.keys(weights).sort()) {
    const tensor = weights[name];
    if (!tensor) continue;
    hash.update(`${name}:${tensor.shape.join('x')}:`);
    const values = tensor.dataSync();
    hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  return hash.digest('hex');
}
