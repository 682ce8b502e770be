import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOnnxModel, readOnnxModel } from './onnx-model.js';
import { onnx } from './onnx-proto.js';
import { ULTRALYTICS_FIXTURES as FIXTURES } from '@yolo-distill/core/testing';


interface LayerInitializer {
  initializer: string;
  dims: number[];
}
interface FixtureJson {
  onnx: {
    ir_version: number;
    opset: { domain: string; version: number }[];
    producer: string;
    inputs: { name: string; shape: (number | string)[] }[];
    outputs: { name: string; shape: (number | string)[] }[];
    node_count: number;
    initializer_count: number;
    op_types: string[];
    metadata_props: Record<string, string>;
    first_layer_initializers: Record<string, LayerInitializer[]>;
    identity_aliased_params: { name: string; identity_of_initializer: string; node: string }[];
  };
  onnx_nofuse: { initializer_count: number; first_layer_initializers: Record<string, LayerInitializer[]> };
}

async function fixtureJson(model: string): Promise<FixtureJson> {
  return JSON.parse(await readFile(join(FIXTURES, `${model}.json`), 'utf8')) as FixtureJson;
}

describe('readOnnxModel on the Ultralytics fixtures', () => {
  for (const model of ['yolov5n', 'yolov8n', 'yolov3-tiny', 'yolov7-tiny']) {
    it(`${model}: header, inputs, outputs, metadata, nodes and initializers match the fixture JSON`, async () => {
      const expected = (await fixtureJson(model)).onnx;
      const file = await readOnnxModel(join(FIXTURES, `${model}.onnx`));
      expect(file.source).toBe(join(FIXTURES, `${model}.onnx`));
      expect(file.irVersion).toBe(expected.ir_version);
      expect(file.opset).toBe(12);
      expect(file.opsets).toEqual({ '': 12 });
      expect(file.producer).toBe(expected.producer);
      expect(file.metadata).toEqual(expected.metadata_props);
      expect(file.inputs).toEqual(expected.inputs.map((input) => ({ name: input.name, elemType: 'float32', dims: input.shape })));
      expect(file.outputs).toEqual(expected.outputs.map((output) => ({ name: output.name, elemType: 'float32', dims: output.shape })));
      expect(file.nodes).toHaveLength(expected.node_count);
      expect([...new Set(file.nodes.map((node) => node.opType))].sort()).toEqual(expected.op_types);
      // every initializer of these exports is float32 (shape constants are Constant nodes)
      expect(file.proto.graph?.initializer).toHaveLength(expected.initializer_count);
      expect(file.initializers().size).toBe(expected.initializer_count);
      for (const layer of Object.values(expected.first_layer_initializers)) {
        for (const entry of layer) {
          const tensor = file.requireInitializer(entry.initializer);
          expect(tensor.dims, entry.initializer).toEqual(entry.dims);
          expect(tensor.data.length).toBe(entry.dims.reduce((a, b) => a * b, 1));
          expect(tensor.data.every(Number.isFinite)).toBe(true);
        }
      }
    });
  }

  it('yolov5n: first conv weight [16,3,6,6] holds plausible fused values; attributes read as numbers', async () => {
    const file = await readOnnxModel(join(FIXTURES, 'yolov5n.onnx'));
    const weight = file.requireInitializer('model.0.conv.weight');
    expect(weight.dims).toEqual([16, 3, 6, 6]);
    expect(weight.data).toBeInstanceOf(Float32Array);
    const maxAbs = weight.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    // kaiming-uniform init bound 1/sqrt(3*6*6) ~ 0.096, times a BN scale gamma/sqrt(var+eps) -> nonzero, well below 100
    expect(maxAbs).toBeGreaterThan(1e-3);
    expect(maxAbs).toBeLessThan(100);
    expect(new Set(weight.data).size).toBeGreaterThan(500);
    const conv = file.nodes.find((node) => node.name === '/model.0/conv/Conv');
    expect(conv?.inputs).toEqual(['images', 'model.0.conv.weight', 'model.0.conv.bias']);
    expect(conv?.attributes).toEqual({ dilations: [1, 1], group: 1, kernel_shape: [6, 6], pads: [2, 2, 2, 2], strides: [2, 2] });
    expect(file.producerOf('/model.17/cv3/act/Mul_output_0')?.name).toBe('/model.17/cv3/act/Mul');
  });

  it('yolov8n: Identity outputs resolve to the initializer they copy', async () => {
    const expected = (await fixtureJson('yolov8n')).onnx.identity_aliased_params;
    const file = await readOnnxModel(join(FIXTURES, 'yolov8n.onnx'));
    expect(expected).toHaveLength(2);
    for (const alias of expected) {
      expect(file.initializers().has(alias.name)).toBe(false);
      const resolved = file.initializer(alias.name);
      expect(resolved).toBe(file.initializers().get(alias.identity_of_initializer));
      expect(file.producerOf(alias.name)?.name).toBe(alias.node);
    }
    const bias = file.requireInitializer('model.22.cv2.1.2.bias');
    expect(bias.dims).toEqual([64]);
    expect([...bias.data].every((value) => value === 2)).toBe(true); // Detect bias init: box branch = 2.0
    // the fixed DFL weight 0..15
    const dfl = file.requireInitializer('model.22.dfl.conv.weight');
    expect(dfl.dims).toEqual([1, 16, 1, 1]);
    expect([...dfl.data]).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it('nofuse exports keep Conv (no bias) + BatchNormalization parameters', async () => {
    const expected = (await fixtureJson('yolov5n')).onnx_nofuse;
    const file = await readOnnxModel(join(FIXTURES, 'yolov5n.nofuse.onnx'));
    expect(file.initializers().size).toBe(expected.initializer_count);
    for (const entry of expected.first_layer_initializers['model.0'] ?? []) {
      expect(file.requireInitializer(entry.initializer).dims).toEqual(entry.dims);
    }
    const bn = file.nodes.find((node) => node.opType === 'BatchNormalization');
    expect(bn?.attributes['epsilon']).toBeCloseTo(0.001, 7);
    expect(bn?.attributes['momentum']).toBeCloseTo(0.97, 6);
    const variance = file.requireInitializer('model.0.bn.running_var');
    expect([...variance.data].every((value) => value > 0)).toBe(true);
  });

  it('yolov3-tiny: symbolic output dim is kept as a string; Constant nodes expose int64 values', async () => {
    const file = await readOnnxModel(join(FIXTURES, 'yolov3-tiny.onnx'));
    expect(file.outputs[0]?.dims).toEqual([1, 'Concatoutput0_dim_1', 85]);
    const shapes = file.nodes
      .filter((node) => node.opType === 'Reshape')
      .map((node) => file.producerOf(node.inputs[1] ?? ''))
      .map((producer) => (producer?.opType === 'Constant' ? producer.attributes['value'] : undefined));
    // ZeroPad2d's pads are reshaped to [-1, 2] (negative int64 from raw_data) ...
    expect(shapes[0]).toEqual({ dims: [2], data: [-1, 2] });
    // ... and Detect reshapes the first level's 255-channel map to [bs, na=3, no=85, ny, nx], its output to [bs, 3*10*10, 85]
    expect(shapes[2]).toEqual({ dims: [5], data: [1, 3, 85, 10, 10] });
    expect(shapes[3]).toEqual({ dims: [3], data: [1, 300, 85] });
  });

  it('requireInitializer names the file and the closest names', async () => {
    const path = join(FIXTURES, 'yolov5n.onnx');
    const file = await readOnnxModel(path);
    expect(file.initializer('model.0.conv.wieght')).toBeUndefined();
    expect(() => file.requireInitializer('model.0.conv.wieght')).toThrow(`${path}: no initializer 'model.0.conv.wieght' (closest: model.0.conv.weight`);
  });
});

describe('readOnnxModel errors', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onnx-model-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a missing file', async () => {
    await expect(readOnnxModel(join(dir, 'absent.onnx'))).rejects.toThrow(`${join(dir, 'absent.onnx')}: file not found`);
  });

  it('a text file is not ONNX', async () => {
    const path = join(dir, 'notes.onnx');
    await writeFile(path, 'names: [person, car]\nstride: 32\n');
    await expect(readOnnxModel(path)).rejects.toThrow(new RegExp(`^${escape(path)}: not an ONNX model \\(protobuf decode failed: .+\\)$`));
  });

  it('random bytes are not ONNX', async () => {
    const bytes = new Uint8Array(4096);
    let state = 12345;
    for (let i = 0; i < bytes.length; i++) {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      bytes[i] = state >>> 16 & 0xff;
    }
    expect(() => parseOnnxModel(bytes, 'noise.bin')).toThrow(/^noise\.bin: not an ONNX model \(/);
  });

  it('an empty file', () => {
    expect(() => parseOnnxModel(new Uint8Array(0), 'empty.onnx')).toThrow('empty.onnx: not an ONNX model (the file is empty)');
  });

  it('a fixture cut in half is truncated', async () => {
    const bytes = await readFile(join(FIXTURES, 'yolov5n.onnx'));
    const path = join(dir, 'half.onnx');
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(readOnnxModel(path)).rejects.toThrow(new RegExp(`^${escape(path)}: truncated or corrupt ONNX \\(.+\\)$`));
    // cut right after the header fields too
    expect(() => parseOnnxModel(bytes.subarray(0, 40), 'head.onnx')).toThrow(/^head\.onnx: truncated or corrupt ONNX/);
  });

  it('a model without a graph', () => {
    const bytes = onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: '', version: 12 }] })).finish();
    expect(() => parseOnnxModel(bytes, 'nograph.onnx')).toThrow('nograph.onnx: the ONNX model has no graph');
  });

  it('an initializer whose data does not fill its dims', () => {
    const model = onnx.ModelProto.create({
      irVersion: 7,
      opsetImport: [{ domain: '', version: 12 }],
      graph: { name: 'g', initializer: [{ name: 'w', dims: [2, 3], dataType: onnx.TensorProto.DataType.FLOAT, floatData: [1, 2, 3] }] },
    });
    const file = parseOnnxModel(onnx.ModelProto.encode(model).finish(), 'short.onnx');
    expect(() => file.initializers()).toThrow("short.onnx: initializer 'w': holds 3 values but its dims [2, 3] need 6");
  });

  it('float_data, float16 raw data and int64 initializers', () => {
    const half = new Uint16Array([0x3c00, 0xc000, 0x3555]); // 1, -2, 0.333251953125
    const model = onnx.ModelProto.create({
      irVersion: 7,
      opsetImport: [{ domain: '', version: 12 }],
      graph: {
        name: 'g',
        initializer: [
          { name: 'f', dims: [2], dataType: onnx.TensorProto.DataType.FLOAT, floatData: [0.5, -1.25] },
          { name: 'h', dims: [3], dataType: onnx.TensorProto.DataType.FLOAT16, rawData: new Uint8Array(half.buffer) },
          { name: 'i', dims: [2], dataType: onnx.TensorProto.DataType.INT64, int64Data: [-1, 9] },
        ],
      },
    });
    const file = parseOnnxModel(onnx.ModelProto.encode(model).finish(), 'mixed.onnx');
    expect([...file.requireInitializer('f').data]).toEqual([0.5, -1.25]);
    expect([...file.requireInitializer('h').data]).toEqual([1, -2, 0.333251953125]);
    expect(file.intInitializers().get('i')).toEqual({ dims: [2], data: [-1, 9] });
    expect(file.initializer('i')).toBeUndefined();
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
