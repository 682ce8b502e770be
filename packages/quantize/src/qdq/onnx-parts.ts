// Small builders of ONNX protobuf parts for graph edits (the schema is yolo's onnx-proto).
import { onnx } from '@yolo-distill/yolo';

const DataType = onnx.TensorProto.DataType;

export function floatTensor(name: string, dims: readonly number[], data: Float32Array): onnx.TensorProto {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return onnx.TensorProto.create({ name, dims: [...dims], dataType: DataType.FLOAT, rawData: bytes });
}

export function int8Tensor(name: string, dims: readonly number[], data: Int8Array): onnx.TensorProto {
  return onnx.TensorProto.create({ name, dims: [...dims], dataType: DataType.INT8, rawData: new Uint8Array(Int8Array.from(data).buffer) });
}

export function int32Tensor(name: string, dims: readonly number[], data: Int32Array): onnx.TensorProto {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  data.forEach((v, i) => view.setInt32(i * 4, v, true));
  return onnx.TensorProto.create({ name, dims: [...dims], dataType: DataType.INT32, rawData: bytes });
}

export function uint8Tensor(name: string, dims: readonly number[], data: Uint8Array): onnx.TensorProto {
  return onnx.TensorProto.create({ name, dims: [...dims], dataType: DataType.UINT8, rawData: Uint8Array.from(data) });
}

/** A zero point as ONNX wants it: a uint8 or int8 scalar (its type sets QuantizeLinear's output type). */
export function zeroPointTensor(name: string, type: 'uint8' | 'int8', value: number): onnx.TensorProto {
  return type === 'uint8' ? uint8Tensor(name, [], Uint8Array.of(value)) : int8Tensor(name, [], Int8Array.of(value));
}

export function node(opType: string, name: string, inputs: readonly string[], outputs: readonly string[], attributes: Readonly<Record<string, number>> = {}): onnx.NodeProto {
  return onnx.NodeProto.create({
    name,
    opType,
    input: [...inputs],
    output: [...outputs],
    attribute: Object.entries(attributes).map(([key, i]) => onnx.AttributeProto.create({ name: key, type: onnx.AttributeProto.AttributeType.INT, i })),
  });
}
