import * as tf from '@tensorflow/tfjs-core';
import type { ConvHook } from '@yolo-distill/core';

/** `trainable`: learned weights; `running-stat`: BatchNorm statistics; `fixed`: constants such as the DFL conv. */
export type ParameterRole = 'trainable' | 'running-stat' | 'fixed';

/**
 * `conv`: a convolution kernel, stored HWIO (`[kh, kw, in, out]`) for tfjs while PyTorch, ONNX and
 * Ultralytics checkpoints hold it OIHW (`[out, in, kh, kw]`); `plain`: same layout everywhere.
 */
export type ParameterLayout = 'conv' | 'plain';

/** One parameter of a model, named by its Ultralytics PyTorch state-dict key (`model.2.m.0.cv1.conv.weight`). */
export interface ModelParameter {
  readonly name: string;
  readonly variable: tf.Variable;
  readonly role: ParameterRole;
  readonly layout: ParameterLayout;
  /** The shape PyTorch gives it (OIHW for conv kernels). */
  readonly torchShape: readonly number[];
  /**
   * The value it takes when an export folded it into a conv and left it out (yolov7's ImplicitA 0 and
   * ImplicitM 1, which IDetect.fuse folds into the head convs); undefined: an export always holds it.
   */
  readonly foldedValue?: number;
}

let storeCount = 0;

/**
 * The parameters of one model by state-dict name. tfjs variable names must be unique in the process,
 * so each store prefixes its own scope (`yolo-3/model.0.conv.weight`); the state-dict name stays the key.
 */
export class ParameterStore {
  private readonly byName = new Map<string, ModelParameter>();
  /** The conv hook of the forward pass in progress (`ForwardOptions.conv`), read by every conv of the model. */
  activeConvHook: ConvHook | undefined;
  private nextSeed: number;
  readonly scope: string;

  private readonly widths: ReadonlyMap<string, readonly [number, number]>;
  private readonly widthsUsed = new Set<string>();

  /** `widths`: a pruned model's channel counts by conv kernel name (see `ModelSpec.channelWidths`). */
  constructor(scope: string, seed = 0, widths: Readonly<Record<string, readonly [number, number]>> = {}) {
    this.scope = `${scope}-${++storeCount}`;
    this.nextSeed = seed * 100_003 + 1;
    this.widths = new Map(Object.entries(widths));
  }

  /** The `[in, out]` channels of the conv whose kernel is `kernelName`: the pruned widths if given, else the module's. */
  convWidths(kernelName: string, cin: number, cout: number): readonly [number, number] {
    const width = this.widths.get(kernelName);
    if (!width) return [cin, cout];
    this.widthsUsed.add(kernelName);
    return width;
  }

  /** Names given a width that no conv asked for (a module that does not build its convs through `ConvBnAct`/`Conv2d`). */
  unusedWidths(): string[] {
    return [...this.widths.keys()].filter((name) => !this.widthsUsed.has(name));
  }

  /**
   * A conv kernel `[kh, kw, cin, cout]` with PyTorch's default init (kaiming_uniform, a = sqrt(5):
   * U(-1/sqrt(fan_in), 1/sqrt(fan_in))), seeded.
   */
  convKernel(name: string, kernel: readonly [number, number], cin: number, cout: number): tf.Variable {
    const [kh, kw] = kernel;
    const bound = 1 / Math.sqrt(cin * kh * kw);
    return this.add(name, () => tf.randomUniform([kh, kw, cin, cout], -bound, bound, 'float32', this.nextSeed++), 'trainable', 'conv', [cout, cin, kh, kw]);
  }

  /** A conv bias with PyTorch's default init, U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
  convBias(name: string, cout: number, fanIn: number): tf.Variable {
    const bound = 1 / Math.sqrt(fanIn);
    return this.add(name, () => tf.randomUniform([cout], -bound, bound, 'float32', this.nextSeed++), 'trainable', 'plain', [cout]);
  }

  /** A vector filled with one value (BatchNorm gamma 1, beta 0, running mean 0, running var 1). */
  filled(name: string, length: number, value: number, role: ParameterRole): tf.Variable {
    return this.add(name, () => tf.fill([length], value), role, 'plain', [length]);
  }

  /**
   * A trainable vector ~ N(mean, std), seeded, with its PyTorch shape (yolov7's implicit knowledge,
   * `[1, C, 1, 1]`) and the value a fused export folds it into (see `ModelParameter.foldedValue`).
   */
  normal(name: string, length: number, init: { readonly mean: number; readonly std: number }, torchShape: readonly number[], foldedValue?: number): tf.Variable {
    return this.add(name, () => tf.randomNormal([length], init.mean, init.std, 'float32', this.nextSeed++), 'trainable', 'plain', torchShape, foldedValue);
  }

  /** A parameter with a given initial value (stored layout) and PyTorch shape. */
  add(name: string, initial: () => tf.Tensor, role: ParameterRole, layout: ParameterLayout, torchShape: readonly number[], foldedValue?: number): tf.Variable {
    if (this.byName.has(name)) throw new Error(`parameter '${name}' is defined twice`);
    const variable = tf.tidy(() => tf.variable(initial(), role === 'trainable', `${this.scope}/${name}`, 'float32'));
    this.byName.set(name, { name, variable, role, layout, torchShape: [...torchShape], ...(foldedValue !== undefined ? { foldedValue } : {}) });
    return variable;
  }

  get(name: string): ModelParameter | undefined {
    return this.byName.get(name);
  }

  /** Every parameter, in definition order (= PyTorch's state-dict order for the modules here). */
  list(): readonly ModelParameter[] {
    return [...this.byName.values()];
  }

  dispose(): void {
    for (const parameter of this.byName.values()) parameter.variable.dispose();
    this.byName.clear();
  }
}
