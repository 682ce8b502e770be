// A TensorFlow GraphDef in the JSON form tfjs graph models carry (model.json's `modelTopology`), built
// node by node: attributes encoded as TensorFlow's JSON does (strings base64, ints as decimal strings),
// every constant a `Const` node whose values go to the weights manifest.

/** An attribute of a NodeDef in TensorFlow's JSON encoding. */
export type TfAttr =
  | { readonly type: string }
  | { readonly s: string }
  | { readonly i: string }
  | { readonly f: number }
  | { readonly b: boolean }
  | { readonly list: { readonly i?: readonly string[]; readonly s?: readonly string[]; readonly f?: readonly number[] } }
  | { readonly shape: TfShape }
  | { readonly tensor: { readonly dtype: string; readonly tensorShape: TfShape } };

export interface TfShape {
  readonly dim?: readonly { readonly size: string }[];
}

/** One GraphDef node. */
export interface TfNode {
  readonly name: string;
  readonly op: string;
  readonly input?: readonly string[];
  readonly attr?: Readonly<Record<string, TfAttr>>;
}

/** A constant's values, as the weights manifest stores them. */
export interface TfConstant {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
  readonly data: Float32Array | Int32Array;
}

const DT = { float32: 'DT_FLOAT', int32: 'DT_INT32' } as const;

/** Attribute helpers in TensorFlow's JSON encoding. */
export const attr = {
  type: (dtype: 'float32' | 'int32' = 'float32'): TfAttr => ({ type: DT[dtype] }),
  string: (value: string): TfAttr => ({ s: Buffer.from(value, 'utf8').toString('base64') }),
  strings: (values: readonly string[]): TfAttr => ({ list: { s: values.map((value) => Buffer.from(value, 'utf8').toString('base64')) } }),
  int: (value: number): TfAttr => ({ i: String(value) }),
  ints: (values: readonly number[]): TfAttr => ({ list: { i: values.map(String) } }),
  float: (value: number): TfAttr => ({ f: value }),
  bool: (value: boolean): TfAttr => ({ b: value }),
  shape: (dims: readonly number[]): TfAttr => ({ shape: tfShape(dims) }),
};

/** `[-1, 160, 160, 3]` as a TensorShapeProto (`-1`: unknown). */
export function tfShape(dims: readonly number[]): TfShape {
  return { dim: dims.map((size) => ({ size: String(size) })) };
}

/**
 * Builds the node list: `op` adds a node with one output named after its scope (unique), `constant`
 * adds a `Const` node once per name (its values are kept for the weights manifest). Inputs refer to a
 * node's first output by its name, a later output as `name:k`, as GraphDef does.
 */
export class TfGraphEmitter {
  readonly nodes: TfNode[] = [];
  readonly constants: TfConstant[] = [];
  private readonly names = new Set<string>();

  /** A unique node name from `base` (`base`, `base_1`, ...). */
  private unique(base: string): string {
    let name = base;
    for (let n = 1; this.names.has(name); n++) name = `${base}_${n}`;
    this.names.add(name);
    return name;
  }

  /** Marks a name as taken (the graph description's tensors keep their names). */
  reserve(names: Iterable<string>): void {
    for (const name of names) this.names.add(name);
  }

  /** Adds a node named exactly `name` (reserved before, or new); returns the name. */
  node(name: string, op: string, inputs: readonly string[], attrs: Readonly<Record<string, TfAttr>> = {}): string {
    this.names.add(name);
    this.nodes.push({ name, op, ...(inputs.length > 0 ? { input: [...inputs] } : {}), attr: attrs });
    return name;
  }

  /** Adds a node named after `base` (made unique); returns its name (its first output). */
  op(op: string, base: string, inputs: readonly string[], attrs: Readonly<Record<string, TfAttr>> = {}): string {
    return this.node(this.unique(base), op, inputs, attrs);
  }

  /** A float32 node attribute set for element-wise ops (`T: DT_FLOAT`). */
  float(op: string, base: string, inputs: readonly string[], attrs: Readonly<Record<string, TfAttr>> = {}): string {
    return this.op(op, base, inputs, { T: attr.type(), ...attrs });
  }

  /** A constant (added once per name: `name` must identify its values). */
  constant(name: string, data: Float32Array | Int32Array, shape: readonly number[]): string {
    if (this.constants.some((c) => c.name === name)) return name;
    const count = shape.reduce((product, dim) => product * dim, 1);
    if (data.length !== count) throw new Error(`TfGraphEmitter: constant '${name}' has ${data.length} values but shape [${shape.join(', ')}] needs ${count}`);
    const dtype = data instanceof Float32Array ? 'float32' : 'int32';
    this.names.add(name);
    this.constants.push({ name, shape: [...shape], dtype, data });
    this.nodes.push({ name, op: 'Const', attr: { dtype: attr.type(dtype), value: { tensor: { dtype: DT[dtype], tensorShape: tfShape(shape) } } } });
    return name;
  }

  /** A float32 scalar. */
  scalar(value: number): string {
    return this.constant(`const/${String(value).replace('-', 'm').replace('.', 'p')}`, Float32Array.of(value), []);
  }

  /** An int32 vector (shapes, axes, sizes). */
  ints(values: readonly number[]): string {
    return this.constant(`const/ints_${values.map((v) => String(v).replace('-', 'm')).join('_')}`, Int32Array.from(values), [values.length]);
  }

  /** An int32 scalar (an axis). */
  axis(value: number): string {
    return this.constant(`const/axis_${String(value).replace('-', 'm')}`, Int32Array.of(value), []);
  }

  /** `SplitV` of `input` along `axis` into parts of `sizes`; the outputs as `name`, `name:1`, ... */
  split(base: string, input: string, sizes: readonly number[], axis: number): string[] {
    const name = this.op('SplitV', base, [input, this.ints(sizes), this.axis(axis)], { T: attr.type(), Tlen: attr.type('int32'), num_split: attr.int(sizes.length) });
    return sizes.map((_, k) => (k === 0 ? name : `${name}:${k}`));
  }

  /** `ConcatV2` along `axis`. */
  concat(base: string, inputs: readonly string[], axis: number): string {
    return this.op('ConcatV2', base, [...inputs, this.axis(axis)], { T: attr.type(), Tidx: attr.type('int32'), N: attr.int(inputs.length) });
  }

  reshape(base: string, input: string, shape: readonly number[]): string {
    return this.op('Reshape', base, [input, this.ints(shape)], { T: attr.type(), Tshape: attr.type('int32') });
  }

  transpose(base: string, input: string, perm: readonly number[]): string {
    return this.op('Transpose', base, [input, this.ints(perm)], { T: attr.type(), Tperm: attr.type('int32') });
  }
}
