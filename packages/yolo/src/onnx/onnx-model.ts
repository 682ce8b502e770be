// Reading ONNX files: the decoded ModelProto plus the views a weight importer needs.
import { readFile } from 'node:fs/promises';
import { closestNames } from './close-names.js';
import { onnx } from './onnx-proto.js';
import {
  int64ToNumber,
  isFloatTensor,
  isIntTensor,
  onnxElementTypeName,
  tensorFloatData,
  tensorIntData,
  type OnnxFloatData,
  type OnnxIntData,
} from './onnx-tensor.js';

/** One dim of a graph input/output: a number, or the name of a symbolic dim (`'batch'`, `'?'` if unnamed). */
export type OnnxDim = number | string;

/** A graph input or output. `dims` is null when the model declares no shape (unknown rank). */
export interface OnnxValueInfo {
  name: string;
  /** Element type as onnxruntime names it: `float32`, `int64`, ... */
  elemType: string;
  dims: OnnxDim[] | null;
}

/** An attribute this reader does not turn into plain values (subgraphs, sparse tensors, type protos, tensor lists). */
export interface OnnxOpaqueAttribute {
  kind: 'opaque';
  type: string;
  proto: onnx.IAttributeProto;
}

/** INT/FLOAT -> number, STRING -> string, INTS/FLOATS -> number[], STRINGS -> string[], TENSOR -> its values. */
export type OnnxAttributeValue = number | string | number[] | string[] | OnnxFloatData | OnnxIntData | OnnxOpaqueAttribute;

/** A graph node with its attributes as plain values. */
export interface OnnxNode {
  name: string;
  opType: string;
  /** Operator domain; `''` is the default ONNX domain. */
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, OnnxAttributeValue>;
}

export type { OnnxFloatData, OnnxIntData } from './onnx-tensor.js';

/** A decoded ONNX model. */
export interface OnnxModelFile {
  /** The file path or name given when reading; every error starts with it. */
  readonly source: string;
  readonly irVersion: number;
  /** Opset of the default ONNX domain (0 if the model imports none). */
  readonly opset: number;
  /** Every imported opset by domain (`''` is the default domain). */
  readonly opsets: Readonly<Record<string, number>>;
  /** `producer_name producer_version`, e.g. `pytorch 1.13.0`. */
  readonly producer: string;
  /** metadata_props as a record (Ultralytics writes `stride`, `names`, `imgsz`, ...). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Graph inputs that are real inputs (initializers listed as inputs, as IR < 4 does, are left out). */
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly nodes: readonly OnnxNode[];
  /** The decoded protobuf, for writers. Treat it as read-only: the views above are computed from it. */
  readonly proto: onnx.ModelProto;
  /** Float initializers (float32/float16/bfloat16/float64, all as float32) by name, in file order. */
  initializers(): Map<string, OnnxFloatData>;
  /** Integer and bool initializers by name (shape constants and the like). */
  intInitializers(): Map<string, OnnxIntData>;
  /**
   * A float tensor whose value is fixed in the file: an initializer, or a tensor an `Identity` node
   * copies from one (torch's exporter shares initializers with equal values that way), or the value
   * of a `Constant` node. Undefined if the name is none of these.
   */
  initializer(name: string): OnnxFloatData | undefined;
  /** Like {@link initializer}, but throws `<file>: no initializer 'x' (closest: ...)` when missing. */
  requireInitializer(name: string): OnnxFloatData;
  /** The node that outputs `tensorName`, if any. */
  producerOf(tensorName: string): OnnxNode | undefined;
}

/** Reads and decodes an ONNX file; errors name the file. */
export async function readOnnxModel(path: string): Promise<OnnxModelFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${path}: ${code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not an ONNX file' : message(error)}`);
  }
  return parseOnnxModel(bytes, path);
}

/** Decodes ONNX bytes; `sourceName` starts every error message. */
export function parseOnnxModel(bytes: Uint8Array, sourceName = '<ONNX bytes>'): OnnxModelFile {
  if (bytes.byteLength === 0) throw new Error(`${sourceName}: not an ONNX model (the file is empty)`);
  let proto: onnx.ModelProto;
  try {
    proto = onnx.ModelProto.decode(bytes);
  } catch (error) {
    if (startsLikeModelProto(bytes)) throw new Error(`${sourceName}: truncated or corrupt ONNX (${message(error)})`);
    throw new Error(`${sourceName}: not an ONNX model (protobuf decode failed: ${message(error)})`);
  }
  const irVersion = int64ToNumber(proto.irVersion);
  if (!proto.graph) {
    if (irVersion === 0 && proto.opsetImport.length === 0) {
      throw new Error(`${sourceName}: not an ONNX model (no ir_version, opset_import or graph in it)`);
    }
    throw new Error(`${sourceName}: the ONNX model has no graph`);
  }
  return new DecodedOnnxModel(sourceName, proto, proto.graph);
}

class DecodedOnnxModel implements OnnxModelFile {
  readonly irVersion: number;
  readonly opset: number;
  readonly opsets: Readonly<Record<string, number>>;
  readonly producer: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly nodes: readonly OnnxNode[];
  private readonly tensorsByName = new Map<string, onnx.ITensorProto>();
  private readonly producers = new Map<string, OnnxNode>();
  private floats?: Map<string, OnnxFloatData>;
  private ints?: Map<string, OnnxIntData>;

  constructor(
    readonly source: string,
    readonly proto: onnx.ModelProto,
    graph: onnx.IGraphProto,
  ) {
    this.irVersion = int64ToNumber(proto.irVersion);
    const opsets: Record<string, number> = {};
    for (const entry of proto.opsetImport) opsets[entry.domain ?? ''] = int64ToNumber(entry.version);
    this.opsets = opsets;
    this.opset = opsets[''] ?? opsets['ai.onnx'] ?? 0;
    this.producer = [proto.producerName, proto.producerVersion].filter((part) => part).join(' ');
    const metadata: Record<string, string> = {};
    for (const entry of proto.metadataProps) metadata[entry.key ?? ''] = entry.value ?? '';
    this.metadata = metadata;
    for (const tensor of graph.initializer ?? []) this.tensorsByName.set(tensor.name ?? '', tensor);
    this.inputs = (graph.input ?? []).filter((value) => !this.tensorsByName.has(value.name ?? '')).map(valueInfo);
    this.outputs = (graph.output ?? []).map(valueInfo);
    this.nodes = (graph.node ?? []).map((node, index) => this.readNode(node, index));
    for (const node of this.nodes) for (const output of node.outputs) if (output) this.producers.set(output, node);
  }

  initializers(): Map<string, OnnxFloatData> {
    if (!this.floats) {
      this.floats = new Map();
      for (const [name, tensor] of this.tensorsByName) {
        if (isFloatTensor(tensor)) this.floats.set(name, tensorFloatData(tensor, `${this.source}: initializer '${name}'`));
      }
    }
    return this.floats;
  }

  intInitializers(): Map<string, OnnxIntData> {
    if (!this.ints) {
      this.ints = new Map();
      for (const [name, tensor] of this.tensorsByName) {
        if (isIntTensor(tensor)) this.ints.set(name, tensorIntData(tensor, `${this.source}: initializer '${name}'`));
      }
    }
    return this.ints;
  }

  initializer(name: string): OnnxFloatData | undefined {
    const seen = new Set<string>();
    let current = name;
    while (!seen.has(current)) {
      seen.add(current);
      const direct = this.initializers().get(current);
      if (direct) return direct;
      const producer = this.producers.get(current);
      if (producer?.opType === 'Identity' && producer.domain === '' && producer.inputs[0]) {
        current = producer.inputs[0];
        continue;
      }
      if (producer?.opType === 'Constant') {
        const value = producer.attributes['value'];
        if (value && typeof value === 'object' && 'data' in value && value.data instanceof Float32Array) return value as OnnxFloatData;
      }
      return undefined;
    }
    return undefined;
  }

  requireInitializer(name: string): OnnxFloatData {
    const found = this.initializer(name);
    if (found) return found;
    const known = [...this.initializers().keys(), ...this.aliasNames()];
    const hint = known.length > 0 ? ` (closest: ${closestNames(name, known).join(', ')})` : ' (the model has no float initializers)';
    throw new Error(`${this.source}: no initializer '${name}'${hint}`);
  }

  producerOf(tensorName: string): OnnxNode | undefined {
    return this.producers.get(tensorName);
  }

  private aliasNames(): string[] {
    return this.nodes.filter((node) => node.opType === 'Identity' && node.outputs[0] && this.initializer(node.outputs[0])).map((node) => node.outputs[0] as string);
  }

  private readNode(node: onnx.INodeProto, index: number): OnnxNode {
    const name = node.name ?? '';
    const where = `${this.source}: node '${name || `#${index}`}' (${node.opType ?? '?'})`;
    const attributes: Record<string, OnnxAttributeValue> = {};
    for (const attribute of node.attribute ?? []) attributes[attribute.name ?? ''] = attributeValue(attribute, `${where} attribute '${attribute.name ?? ''}'`);
    return {
      name,
      opType: node.opType ?? '',
      domain: node.domain === 'ai.onnx' ? '' : (node.domain ?? ''),
      inputs: [...(node.input ?? [])],
      outputs: [...(node.output ?? [])],
      attributes,
    };
  }
}

const AttributeType = onnx.AttributeProto.AttributeType;

function attributeValue(attribute: onnx.IAttributeProto, where: string): OnnxAttributeValue {
  const type = attribute.type ?? AttributeType.UNDEFINED;
  switch (type) {
    case AttributeType.FLOAT:
      return attribute.f ?? 0;
    case AttributeType.INT:
      return int64ToNumber(attribute.i);
    case AttributeType.STRING:
      return utf8(attribute.s);
    case AttributeType.FLOATS:
      return [...(attribute.floats ?? [])];
    case AttributeType.INTS:
      return (attribute.ints ?? []).map(int64ToNumber);
    case AttributeType.STRINGS:
      return (attribute.strings ?? []).map(utf8);
    case AttributeType.TENSOR:
      if (attribute.t && isFloatTensor(attribute.t)) return tensorFloatData(attribute.t, where);
      if (attribute.t && isIntTensor(attribute.t)) return tensorIntData(attribute.t, where);
      return { kind: 'opaque', type: 'TENSOR', proto: attribute };
    default:
      return { kind: 'opaque', type: AttributeType[type] ?? String(type), proto: attribute };
  }
}

function valueInfo(value: onnx.IValueInfoProto): OnnxValueInfo {
  const tensorType = value.type?.tensorType;
  const shape = tensorType?.shape;
  return {
    name: value.name ?? '',
    elemType: onnxElementTypeName(tensorType?.elemType ?? 0),
    dims: shape ? (shape.dim ?? []).map((dim) => (dim.dimParam ? dim.dimParam : dim.dimValue !== null && dim.dimValue !== undefined ? int64ToNumber(dim.dimValue) : '?')) : null,
  };
}

function utf8(bytes: Uint8Array | null | undefined): string {
  return bytes ? new TextDecoder().decode(bytes) : '';
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}

// ModelProto's fields and their wire types (0 = varint, 2 = length-delimited).
const MODEL_PROTO_FIELDS: Readonly<Record<number, number>> = { 1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2 };

/**
 * Whether the bytes begin with a well-formed ModelProto field, which tells a damaged ONNX file from
 * something that never was one (text, images, random bytes) when protobuf decoding fails.
 */
function startsLikeModelProto(bytes: Uint8Array): boolean {
  const tag = readVarint(bytes, 0);
  if (!tag) return false;
  const field = Math.floor(tag.value / 8);
  const wire = tag.value % 8;
  if (MODEL_PROTO_FIELDS[field] !== wire) return false;
  const payload = readVarint(bytes, tag.next);
  if (!payload) return true; // the file ends inside the first field
  // ir_version is a small number; a length prefix must be plausible.
  return wire === 0 ? payload.value > 0 && payload.value < 1000 : payload.value > 0;
}

function readVarint(bytes: Uint8Array, start: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let pos = start; pos < bytes.length && pos < start + 10; pos++) {
    const byte = bytes[pos] as number;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return { value, next: pos + 1 };
  }
  return undefined;
}
