// Values of ONNX TensorProtos (initializers, Constant nodes, tensor attributes) as typed arrays.
import { onnx } from './onnx-proto.js';

const DataType = onnx.TensorProto.DataType;

/** A float tensor: FLOAT, FLOAT16, BFLOAT16 and DOUBLE are all read into float32. */
export interface OnnxFloatData {
  dims: number[];
  data: Float32Array;
}

/** An integer or boolean tensor (INT64 values beyond 2^53 lose precision, like INT64_MAX in Slice ends). */
export interface OnnxIntData {
  dims: number[];
  data: number[];
}

/** The lower-case name of an ONNX element type (`float32`, `int64`, ...), as onnxruntime spells them. */
export function onnxElementTypeName(dataType: number): string {
  return ELEMENT_TYPE_NAMES[dataType] ?? `type ${dataType}`;
}

const ELEMENT_TYPE_NAMES: Record<number, string> = {
  [DataType.UNDEFINED]: 'undefined',
  [DataType.FLOAT]: 'float32',
  [DataType.UINT8]: 'uint8',
  [DataType.INT8]: 'int8',
  [DataType.UINT16]: 'uint16',
  [DataType.INT16]: 'int16',
  [DataType.INT32]: 'int32',
  [DataType.INT64]: 'int64',
  [DataType.STRING]: 'string',
  [DataType.BOOL]: 'bool',
  [DataType.FLOAT16]: 'float16',
  [DataType.DOUBLE]: 'float64',
  [DataType.UINT32]: 'uint32',
  [DataType.UINT64]: 'uint64',
  [DataType.COMPLEX64]: 'complex64',
  [DataType.COMPLEX128]: 'complex128',
  [DataType.BFLOAT16]: 'bfloat16',
};

const FLOAT_TYPES = new Set<number>([DataType.FLOAT, DataType.FLOAT16, DataType.BFLOAT16, DataType.DOUBLE]);
const INT_TYPES = new Set<number>([
  DataType.UINT8,
  DataType.INT8,
  DataType.UINT16,
  DataType.INT16,
  DataType.INT32,
  DataType.INT64,
  DataType.BOOL,
  DataType.UINT32,
  DataType.UINT64,
]);

/** Whether a tensor's element type reads into float32 with {@link tensorFloatData}. */
export function isFloatTensor(tensor: onnx.ITensorProto): boolean {
  return FLOAT_TYPES.has(tensor.dataType ?? DataType.UNDEFINED);
}

/** Whether a tensor's element type reads into numbers with {@link tensorIntData}. */
export function isIntTensor(tensor: onnx.ITensorProto): boolean {
  return INT_TYPES.has(tensor.dataType ?? DataType.UNDEFINED);
}

/** What protobufjs decodes an int64 into when the `long` package is present. */
export interface LongLike {
  toNumber(): number;
}

/** A protobufjs int64 (number or Long) as a number. */
export function int64ToNumber(value: number | LongLike | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** The dims of a tensor as numbers. */
export function tensorDims(tensor: onnx.ITensorProto): number[] {
  return (tensor.dims ?? []).map(int64ToNumber);
}

/** A float tensor's values as float32. `where` names the tensor in errors (`file: initializer 'x'`). */
export function tensorFloatData(tensor: onnx.ITensorProto, where: string): OnnxFloatData {
  const dims = tensorDims(tensor);
  const count = elementCount(dims);
  const type = tensor.dataType ?? DataType.UNDEFINED;
  checkInline(tensor, where);
  const raw = tensor.rawData && tensor.rawData.length > 0 ? tensor.rawData : undefined;
  let data: Float32Array;
  switch (type) {
    case DataType.FLOAT:
      data = raw ? new Float32Array(copyBytes(raw, 4, where)) : Float32Array.from(tensor.floatData ?? []);
      break;
    case DataType.DOUBLE:
      data = Float32Array.from(raw ? new Float64Array(copyBytes(raw, 8, where)) : (tensor.doubleData ?? []));
      break;
    case DataType.FLOAT16:
    case DataType.BFLOAT16: {
      const bits = raw ? new Uint16Array(copyBytes(raw, 2, where)) : Uint16Array.from(tensor.int32Data ?? []);
      data = new Float32Array(bits.length);
      for (let i = 0; i < bits.length; i++) data[i] = type === DataType.FLOAT16 ? halfToFloat(bits[i] as number) : bfloat16ToFloat(bits[i] as number);
      break;
    }
    default:
      throw new Error(`${where}: element type ${onnxElementTypeName(type)} is not a float type`);
  }
  if (data.length !== count) {
    throw new Error(`${where}: holds ${data.length} values but its dims [${dims.join(', ')}] need ${count}`);
  }
  return { dims, data };
}

/** An integer or bool tensor's values as numbers. */
export function tensorIntData(tensor: onnx.ITensorProto, where: string): OnnxIntData {
  const dims = tensorDims(tensor);
  const count = elementCount(dims);
  const type = tensor.dataType ?? DataType.UNDEFINED;
  checkInline(tensor, where);
  const raw = tensor.rawData && tensor.rawData.length > 0 ? tensor.rawData : undefined;
  let data: number[];
  if (raw) {
    const bytes = copyBytes(raw, 1, where);
    const view = new DataView(bytes);
    const size = RAW_INT_SIZE[type];
    if (size === undefined) throw new Error(`${where}: element type ${onnxElementTypeName(type)} is not an integer type`);
    if (bytes.byteLength % size !== 0) throw new Error(`${where}: raw data of ${bytes.byteLength} bytes is not a whole number of ${size}-byte values`);
    data = new Array<number>(bytes.byteLength / size);
    for (let i = 0; i < data.length; i++) data[i] = readInt(view, i * size, type);
  } else {
    switch (type) {
      case DataType.INT64:
        data = (tensor.int64Data ?? []).map(int64ToNumber);
        break;
      case DataType.UINT32:
      case DataType.UINT64:
        data = (tensor.uint64Data ?? []).map(int64ToNumber);
        break;
      default:
        if (!INT_TYPES.has(type)) throw new Error(`${where}: element type ${onnxElementTypeName(type)} is not an integer type`);
        data = [...(tensor.int32Data ?? [])];
    }
  }
  if (data.length !== count) {
    throw new Error(`${where}: holds ${data.length} values but its dims [${dims.join(', ')}] need ${count}`);
  }
  return { dims, data };
}

const RAW_INT_SIZE: Record<number, number> = {
  [DataType.UINT8]: 1,
  [DataType.INT8]: 1,
  [DataType.BOOL]: 1,
  [DataType.UINT16]: 2,
  [DataType.INT16]: 2,
  [DataType.INT32]: 4,
  [DataType.UINT32]: 4,
  [DataType.INT64]: 8,
  [DataType.UINT64]: 8,
};

function readInt(view: DataView, offset: number, type: number): number {
  switch (type) {
    case DataType.UINT8:
    case DataType.BOOL:
      return view.getUint8(offset);
    case DataType.INT8:
      return view.getInt8(offset);
    case DataType.UINT16:
      return view.getUint16(offset, true);
    case DataType.INT16:
      return view.getInt16(offset, true);
    case DataType.INT32:
      return view.getInt32(offset, true);
    case DataType.UINT32:
      return view.getUint32(offset, true);
    case DataType.INT64:
      return Number(view.getBigInt64(offset, true));
    default:
      return Number(view.getBigUint64(offset, true));
  }
}

function checkInline(tensor: onnx.ITensorProto, where: string): void {
  if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    const location = tensor.externalData?.find((entry) => entry.key === 'location')?.value ?? '?';
    throw new Error(`${where}: data is stored in the external file '${location}', which is not supported (save the model with all tensors inside)`);
  }
}

/** A copy of raw little-endian bytes into an aligned buffer (raw_data may sit at any offset of the file). */
function copyBytes(raw: Uint8Array, elementSize: number, where: string): ArrayBuffer {
  if (raw.byteLength % elementSize !== 0) {
    throw new Error(`${where}: raw data of ${raw.byteLength} bytes is not a whole number of ${elementSize}-byte values`);
  }
  const copy = new ArrayBuffer(raw.byteLength);
  new Uint8Array(copy).set(raw);
  return copy;
}

function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, dim) => product * dim, 1);
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

const bfloatView = new DataView(new ArrayBuffer(4));
function bfloat16ToFloat(bits: number): number {
  bfloatView.setUint32(0, bits << 16);
  return bfloatView.getFloat32(0);
}
