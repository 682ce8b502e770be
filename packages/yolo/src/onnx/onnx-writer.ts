// Writing ONNX models: a small graph builder over the ONNX schema, and an atomic file write.
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { OnnxDim } from './onnx-model.js';
import { onnx } from './onnx-proto.js';

const DataType = onnx.TensorProto.DataType;
const AttributeType = onnx.AttributeProto.AttributeType;

/** Element types the builder declares for inputs, outputs and value_info. */
export type OnnxElemType = 'float32' | 'float16' | 'float64' | 'int8' | 'uint8' | 'int32' | 'int64' | 'bool';

const ELEM_TYPES: Record<OnnxElemType, number> = {
  float32: DataType.FLOAT,
  float16: DataType.FLOAT16,
  float64: DataType.DOUBLE,
  int8: DataType.INT8,
  uint8: DataType.UINT8,
  int32: DataType.INT32,
  int64: DataType.INT64,
  bool: DataType.BOOL,
};

/**
 * Tensor data for initializers and tensor attributes: Float32Array -> FLOAT, Int32Array -> INT32,
 * BigInt64Array or a plain number array -> INT64 (shape constants), Uint8Array -> UINT8, Int8Array -> INT8.
 */
export type OnnxTensorValues = Float32Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | readonly number[];

/**
 * A node attribute. Bare numbers and number arrays are INT/INTS and must be integers; floats are
 * always tagged (`{ float: 0.1 }`, `{ floats: [...] }`) so a whole-valued float (Clip's `max: 6`)
 * cannot turn into an INT by accident.
 */
export type OnnxAttributeInput =
  | number
  | readonly number[]
  | string
  | { readonly float: number }
  | { readonly floats: readonly number[] }
  | { readonly strings: readonly string[] }
  | { readonly tensor: { readonly dims: readonly number[]; readonly data: OnnxTensorValues } };

export interface OnnxModelBuilderOptions {
  /** Opset of the default domain (13 and 17 are what the exports use). */
  opset: number;
  /** Defaults to the lowest IR version that supports `opset` (7 for 12-14, 8 for 15-18, ...). */
  irVersion?: number;
  /** Extra opsets by domain, e.g. `{ 'com.microsoft': 1 }`. */
  extraOpsets?: Readonly<Record<string, number>>;
  producerName?: string;
  producerVersion?: string;
  graphName?: string;
  docString?: string;
}

export interface OnnxNodeOptions {
  /** Defaults to `<opType>_<index>`. */
  name?: string;
  domain?: string;
}

/**
 * Builds an ONNX model node by node. Nodes must come in topological order (each input is a graph
 * input, an initializer or an output of an earlier node), which {@link build} checks.
 *
 * ```ts
 * const bytes = new OnnxModelBuilder({ opset: 13 })
 *   .input('images', [1, 3, 'h', 'w'])
 *   .initializer('w', weights, [16, 3, 3, 3])
 *   .node('Conv', ['images', 'w'], ['y'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })
 *   .output('y', [1, 16, 'h', 'w'])
 *   .encode();
 * ```
 */
export class OnnxModelBuilder {
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly valueInfos: onnx.IValueInfoProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly metadataProps = new Map<string, string>();

  constructor(private readonly options: OnnxModelBuilderOptions) {
    if (!Number.isInteger(options.opset) || options.opset < 1) throw new Error(`OnnxModelBuilder: opset must be a positive integer, got ${options.opset}`);
  }

  /** A graph input; symbolic dims are strings (`'batch'`). */
  input(name: string, dims: readonly OnnxDim[], elemType: OnnxElemType = 'float32'): this {
    this.inputs.push(valueInfo(name, dims, elemType));
    return this;
  }

  /** A graph output; `dims` null leaves the shape undeclared. */
  output(name: string, dims: readonly OnnxDim[] | null, elemType: OnnxElemType = 'float32'): this {
    this.outputs.push(valueInfo(name, dims, elemType));
    return this;
  }

  /** Declares the type and shape of an intermediate tensor (graph.value_info). */
  valueInfo(name: string, dims: readonly OnnxDim[] | null, elemType: OnnxElemType = 'float32'): this {
    this.valueInfos.push(valueInfo(name, dims, elemType));
    return this;
  }

  /** A constant tensor (weights from a Float32Array, shape constants from number[]), stored as raw little-endian bytes. */
  initializer(name: string, data: OnnxTensorValues, dims: readonly number[]): this {
    this.initializers.push(tensorProto(name, data, dims, `initializer '${name}'`));
    return this;
  }

  node(opType: string, inputs: readonly string[], outputs: readonly string[], attributes: Readonly<Record<string, OnnxAttributeInput>> = {}, options: OnnxNodeOptions = {}): this {
    const name = options.name ?? `${opType}_${this.nodes.length}`;
    this.nodes.push(
      onnx.NodeProto.create({
        name,
        opType,
        input: [...inputs],
        output: [...outputs],
        ...(options.domain ? { domain: options.domain } : {}),
        attribute: Object.entries(attributes).map(([key, value]) => attributeProto(key, value, `node '${name}' (${opType}) attribute '${key}'`)),
      }),
    );
    return this;
  }

  /** Adds metadata_props entries (string values, as Ultralytics writes `stride`, `names`, ...). */
  metadata(entries: Readonly<Record<string, string>>): this {
    for (const [key, value] of Object.entries(entries)) this.metadataProps.set(key, value);
    return this;
  }

  /** The ModelProto, after checking names and the order of nodes. */
  build(): onnx.ModelProto {
    this.check();
    const opsets = [{ domain: '', version: this.options.opset }, ...Object.entries(this.options.extraOpsets ?? {}).map(([domain, version]) => ({ domain, version }))];
    return onnx.ModelProto.create({
      irVersion: this.options.irVersion ?? minimumIrVersion(this.options.opset),
      opsetImport: opsets,
      producerName: this.options.producerName ?? 'yolo-distill',
      ...(this.options.producerVersion ? { producerVersion: this.options.producerVersion } : {}),
      ...(this.options.docString ? { docString: this.options.docString } : {}),
      graph: {
        name: this.options.graphName ?? 'main',
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
        valueInfo: this.valueInfos,
      },
      metadataProps: [...this.metadataProps].map(([key, value]) => ({ key, value })),
    });
  }

  /** The encoded model bytes. */
  encode(): Uint8Array {
    return encodeOnnxModel(this.build());
  }

  private check(): void {
    const produced = new Map<string, string>();
    const define = (name: string, by: string): void => {
      const previous = produced.get(name);
      if (previous !== undefined) throw new Error(`OnnxModelBuilder: tensor '${name}' is defined twice (${previous} and ${by})`);
      produced.set(name, by);
    };
    for (const input of this.inputs) define(input.name ?? '', 'a graph input');
    for (const tensor of this.initializers) define(tensor.name ?? '', 'an initializer');
    for (const node of this.nodes) {
      for (const input of node.input ?? []) {
        if (input !== '' && !produced.has(input)) {
          throw new Error(`OnnxModelBuilder: node '${node.name}' (${node.opType}) reads '${input}', which is not a graph input, an initializer or an output of an earlier node`);
        }
      }
      for (const output of node.output ?? []) if (output !== '') define(output, `node '${node.name}'`);
    }
    for (const output of this.outputs) {
      if (!produced.has(output.name ?? '')) throw new Error(`OnnxModelBuilder: graph output '${output.name}' is not produced by any node, input or initializer`);
    }
  }
}

/** Encodes a ModelProto (a plain Uint8Array view, not protobufjs's Node Buffer). */
export function encodeOnnxModel(model: onnx.IModelProto): Uint8Array {
  const bytes = onnx.ModelProto.encode(model).finish();
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Writes a model (a ModelProto or encoded bytes) so that `path` never holds a partial file: the bytes
 * go to a temporary file beside it, which is then renamed over `path`. Errors name `path`.
 */
export async function writeOnnxModel(path: string, model: onnx.IModelProto | Uint8Array): Promise<void> {
  const bytes = model instanceof Uint8Array ? model : encodeOnnxModel(model);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, bytes, { flush: true });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a directory' : (error instanceof Error ? error.message : String(error));
    throw new Error(`${path}: cannot write the ONNX model (${reason})`);
  }
}

/** The lowest IR version that can carry the given default-domain opset (onnx's versioning table). */
export function minimumIrVersion(opset: number): number {
  if (opset <= 8) return 3;
  if (opset === 9) return 4;
  if (opset === 10) return 5;
  if (opset === 11) return 6;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

function valueInfo(name: string, dims: readonly OnnxDim[] | null, elemType: OnnxElemType): onnx.IValueInfoProto {
  const tensorType: onnx.TypeProto.ITensor = { elemType: ELEM_TYPES[elemType] };
  if (dims) tensorType.shape = { dim: dims.map((dim) => (typeof dim === 'string' ? { dimParam: dim } : { dimValue: dim })) };
  return { name, type: { tensorType } };
}

function tensorProto(name: string, data: OnnxTensorValues, dims: readonly number[], where: string): onnx.TensorProto {
  const count = dims.reduce((product, dim) => product * dim, 1);
  if (data.length !== count) throw new Error(`OnnxModelBuilder: ${where} has ${data.length} values but dims [${dims.join(', ')}] need ${count}`);
  let dataType: number;
  let bytes: Uint8Array;
  if (data instanceof Float32Array) {
    dataType = DataType.FLOAT;
    bytes = littleEndianBytes(data);
  } else if (data instanceof Int32Array) {
    dataType = DataType.INT32;
    bytes = littleEndianBytes(data);
  } else if (data instanceof BigInt64Array) {
    dataType = DataType.INT64;
    bytes = littleEndianBytes(data);
  } else if (data instanceof Uint8Array) {
    dataType = DataType.UINT8;
    bytes = Uint8Array.from(data);
  } else if (data instanceof Int8Array) {
    dataType = DataType.INT8;
    bytes = new Uint8Array(Int8Array.from(data).buffer);
  } else {
    dataType = DataType.INT64;
    const values = new BigInt64Array(data.length);
    data.forEach((value, i) => {
      if (!Number.isInteger(value)) throw new Error(`OnnxModelBuilder: ${where}: a number array is read as int64, but holds ${value} (use a Float32Array for floats)`);
      values[i] = BigInt(value);
    });
    bytes = littleEndianBytes(values);
  }
  return onnx.TensorProto.create({ name, dims: [...dims], dataType, rawData: bytes });
}

/** Bytes of a typed array in little-endian order (a copy, aligned to nothing else). */
function littleEndianBytes(data: Float32Array | Int32Array | BigInt64Array): Uint8Array {
  const bytes = new Uint8Array(data.byteLength);
  const view = new DataView(bytes.buffer);
  if (data instanceof Float32Array) data.forEach((value, i) => view.setFloat32(i * 4, value, true));
  else if (data instanceof Int32Array) data.forEach((value, i) => view.setInt32(i * 4, value, true));
  else data.forEach((value, i) => view.setBigInt64(i * 8, value, true));
  return bytes;
}

function attributeProto(name: string, value: OnnxAttributeInput, where: string): onnx.AttributeProto {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`OnnxModelBuilder: ${where}: ${value} is not an integer (write { float: ${value} } for a FLOAT attribute)`);
    return onnx.AttributeProto.create({ name, type: AttributeType.INT, i: value });
  }
  if (typeof value === 'string') return onnx.AttributeProto.create({ name, type: AttributeType.STRING, s: new TextEncoder().encode(value) });
  if (isNumberArray(value)) {
    const bad = value.find((entry) => !Number.isInteger(entry));
    if (bad !== undefined) throw new Error(`OnnxModelBuilder: ${where}: ${bad} is not an integer (write { floats: [...] } for a FLOATS attribute)`);
    return onnx.AttributeProto.create({ name, type: AttributeType.INTS, ints: [...value] });
  }
  if ('float' in value) return onnx.AttributeProto.create({ name, type: AttributeType.FLOAT, f: value.float });
  if ('floats' in value) return onnx.AttributeProto.create({ name, type: AttributeType.FLOATS, floats: [...value.floats] });
  if ('strings' in value) return onnx.AttributeProto.create({ name, type: AttributeType.STRINGS, strings: value.strings.map((entry) => new TextEncoder().encode(entry)) });
  return onnx.AttributeProto.create({ name, type: AttributeType.TENSOR, t: tensorProto('', value.tensor.data, value.tensor.dims, where) });
}

function isNumberArray(value: OnnxAttributeInput): value is readonly number[] {
  return Array.isArray(value);
}
