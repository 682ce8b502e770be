import { OnnxModelBuilder, type OnnxAttributeInput, type OnnxTensorValues } from '@yolo-distill/yolo';

/**
 * An `OnnxModelBuilder` with unique names: `tensor(base)` gives `<base>_output_<n>` not yet used, nodes
 * are named after their first output's scope (`/model.0/conv/Conv`), constants are shared by name.
 */
export class OnnxEmitter {
  private readonly tensors = new Set<string>();
  private readonly nodeNames = new Set<string>();
  private readonly constants = new Set<string>();

  constructor(readonly builder: OnnxModelBuilder) {}

  /** Marks names that exist already (the graph description's tensors, the input). */
  reserve(names: Iterable<string>): void {
    for (const name of names) this.tensors.add(name);
  }

  /** A fresh tensor name `<base>_output_<n>`. */
  tensor(base: string): string {
    let n = 0;
    while (this.tensors.has(`${base}_output_${n}`)) n += 1;
    const name = `${base}_output_${n}`;
    this.tensors.add(name);
    return name;
  }

  /** Adds a node; its name is `base` (made unique), its outputs are given. */
  node(opType: string, base: string, inputs: readonly string[], outputs: readonly string[], attributes: Readonly<Record<string, OnnxAttributeInput>> = {}, domain?: string): void {
    let name = base;
    for (let n = 1; this.nodeNames.has(name); n++) name = `${base}_${n}`;
    this.nodeNames.add(name);
    this.builder.node(opType, inputs, outputs, attributes, { name, ...(domain ? { domain } : {}) });
  }

  /** One node with one fresh output named after `base`; returns the output. */
  op(opType: string, base: string, inputs: readonly string[], attributes: Readonly<Record<string, OnnxAttributeInput>> = {}): string {
    const output = this.tensor(base);
    this.node(opType, base, inputs, [output], attributes);
    return output;
  }

  /** An initializer, added once per name (`name` must identify its values). */
  constant(name: string, data: OnnxTensorValues, dims: readonly number[]): string {
    if (!this.constants.has(name)) {
      this.constants.add(name);
      this.tensors.add(name);
      this.builder.initializer(name, data, dims);
    }
    return name;
  }

  /** A float scalar constant. */
  scalar(value: number): string {
    return this.constant(`const_${String(value).replace('-', 'm').replace('.', 'p')}`, Float32Array.of(value), []);
  }

  /** An int64 vector constant (shapes, axes, split sizes). */
  ints(values: readonly number[]): string {
    return this.constant(`ints_${values.map((v) => String(v).replace('-', 'm')).join('_')}`, values, [values.length]);
  }
}
