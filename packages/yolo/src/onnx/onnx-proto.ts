// The ONNX protobuf schema (static protobufjs code from onnx-proto). onnx-proto is CommonJS with
// `module.exports = { onnx }`, so from ESM only its default export carries the namespace.
import onnxProto from 'onnx-proto';

/** The ONNX schema namespace: `onnx.ModelProto.decode(bytes)`, `onnx.TensorProto.DataType`, ... */
export import onnx = onnxProto.onnx;
