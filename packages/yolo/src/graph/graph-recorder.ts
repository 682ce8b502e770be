import type { GraphActivation, GraphOp, NamedTensors, Tensor } from '@yolo-distill/core';
import type { Activation } from '../modules/activation.js';
import { BN_EPS } from '../modules/batch-norm.js';
import { autopad } from '../modules/conv-layers.js';

export interface ConvBnActGraphOptions {
  readonly stride?: number;
  /** PyTorch's `p`; undefined: Ultralytics' autopad (the size kept at stride 1). */
  readonly padding?: number;
  readonly dilation?: number;
  readonly activation: Activation;
}

/**
 * Records a model's inference graph op by op while its layers describe themselves: reads each
 * parameter's shape from the model's weights (so channel counts come from what the model holds),
 * names tensors after their module scope as torch's exporter does (`/model.2/m.0/cv1/act/Mul_output_0`)
 * and collects the weights the ops use.
 */
export class GraphRecorder {
  readonly ops: GraphOp[] = [];
  private readonly used: Record<string, Tensor> = {};
  private readonly names = new Set<string>();

  constructor(
    private readonly modelWeights: NamedTensors,
    private readonly modelName: string,
  ) {}

  /** The weights the recorded ops name. */
  weights(): NamedTensors {
    return { ...this.used };
  }

  /** A parameter the ops use; a missing one is an error naming it. */
  private weight(name: string): Tensor {
    const tensor = this.modelWeights[name];
    if (!tensor) throw new Error(`${this.modelName}: the graph description needs the parameter '${name}', which the model does not hold`);
    this.used[name] = tensor;
    return tensor;
  }

  /** Output channels of a conv kernel (`[kh, kw, cin, cout]`). */
  convOutputChannels(weightName: string): number {
    return this.weight(weightName).shape[3] as number;
  }

  /** Input channels of a conv kernel. */
  convInputChannels(weightName: string): number {
    return this.weight(weightName).shape[2] as number;
  }

  /** Ultralytics' `Conv` at `prefix`: `<prefix>.conv.weight` (no bias), `<prefix>.bn.*`, the activation. */
  convBnAct(prefix: string, input: string, options: ConvBnActGraphOptions): string {
    const weight = `${prefix}.conv.weight`;
    const kernel = this.weight(weight).shape[0] as number;
    const bn = { gamma: `${prefix}.bn.weight`, beta: `${prefix}.bn.bias`, mean: `${prefix}.bn.running_mean`, variance: `${prefix}.bn.running_var`, eps: BN_EPS };
    for (const name of [bn.gamma, bn.beta, bn.mean, bn.variance]) this.weight(name);
    const dilation = options.dilation ?? 1;
    const activation = graphActivation(options.activation);
    const output = this.name(prefix, activation.kind === 'identity' ? 'conv/Conv' : `act/${ACTIVATION_OP[activation.kind]}`);
    this.ops.push({ op: 'conv', scope: prefix, input, output, weight, batchNorm: bn, stride: options.stride ?? 1, padding: autopad(kernel, options.padding, dilation), dilation, groups: 1, activation });
    return output;
  }

  /** `nn.Conv2d(bias=True)` at `prefix` (`<prefix>.weight`, `<prefix>.bias`), no activation. */
  conv2d(prefix: string, input: string, options: { readonly stride?: number; readonly padding?: number } = {}): string {
    const weight = `${prefix}.weight`;
    const bias = `${prefix}.bias`;
    const kernel = this.weight(weight).shape[0] as number;
    this.weight(bias);
    const output = this.name(prefix, 'Conv');
    this.ops.push({ op: 'conv', scope: prefix, input, output, weight, bias, stride: options.stride ?? 1, padding: autopad(kernel, options.padding), dilation: 1, groups: 1, activation: { kind: 'identity' } });
    return output;
  }

  add(scope: string, a: string, b: string): string {
    const output = this.name(scope, 'Add');
    this.ops.push({ op: 'add', scope, inputs: [a, b], output });
    return output;
  }

  concat(scope: string, inputs: readonly string[]): string {
    const output = this.name(scope, 'Concat');
    this.ops.push({ op: 'concat', scope, inputs: [...inputs], output });
    return output;
  }

  split(scope: string, input: string, channels: readonly number[]): string[] {
    const outputs = channels.map((_, i) => this.name(scope, 'Split', i));
    this.ops.push({ op: 'split', scope, input, outputs, channels: [...channels] });
    return [...outputs];
  }

  /** Max pooling that keeps the size at stride 1 (padding k // 2). */
  maxPool(scope: string, input: string, kernel: number): string {
    const output = this.name(`${scope}.m`, 'MaxPool');
    this.ops.push({ op: 'maxPool', scope: `${scope}.m`, input, output, kernel, stride: 1, padding: Math.floor(kernel / 2) });
    return output;
  }

  upsample(scope: string, input: string, scale: number): string {
    const output = this.name(scope, 'Resize');
    this.ops.push({ op: 'upsample', scope, input, output, scale });
    return output;
  }

  /** `/model.2/m.0/cv1/act/Mul_output_0`, with `_1`, `_2`, ... when a scope repeats an op. */
  private name(scope: string, op: string, index = 0): string {
    const base = `${scopePath(scope)}/${op}_output_`;
    let n = index;
    while (this.names.has(`${base}${n}`)) n += 1;
    const name = `${base}${n}`;
    this.names.add(name);
    return name;
  }
}

const ACTIVATION_OP = { silu: 'Mul', relu: 'Relu', 'leaky-relu': 'LeakyRelu' } as const;

/** `model.2.m.0.cv1` -> `/model.2/m.0/cv1`: a dot before a name starts a new scope level. */
export function scopePath(scope: string): string {
  return `/${scope.replace(/\.(?=[A-Za-z_])/g, '/')}`;
}

export function graphActivation(activation: Activation): GraphActivation {
  return activation.kind === 'leaky-relu' ? { kind: 'leaky-relu', alpha: activation.alpha } : { kind: activation.kind };
}
