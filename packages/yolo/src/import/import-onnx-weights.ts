import * as tf from '@tensorflow/tfjs-core';
import type { YoloModel } from '../model/yolo-model.js';
import { BN_EPS } from '../modules/batch-norm.js';
import type { ModelParameter } from '../modules/parameters.js';
import { readOnnxModel, type OnnxModelFile } from '../onnx/onnx-model.js';

export interface OnnxImportOptions {
  /** The initializer name of a parameter (default: the state-dict name itself, as torch's exporter keeps it). */
  readonly rename?: (parameterName: string) => string;
}

/** What an import did. */
export interface OnnxImportReport {
  readonly file: string;
  /** True when the file's convs carry the BatchNorms folded in (every Ultralytics export); BN was set to identity. */
  readonly fused: boolean;
  /** Parameters set from the file. */
  readonly loaded: number;
  /** BatchNorms set to identity because the file has them folded into their conv. */
  readonly fusedBatchNorms: number;
  /** Parameters the file folded into a conv and left out (yolov7's ImplicitA/M), set to their neutral value. */
  readonly foldedParameters: number;
}

const BN_PARAMETER = /^(.*)\.bn\.(weight|bias|running_mean|running_var)$/;
const STATE_DICT_NAME = /^model\.\d+\./;

/**
 * Loads a YOLO model's weights from an Ultralytics ONNX export, parameter by state-dict name
 * (`model.9.cv2.conv.weight`), conv kernels OIHW -> HWIO, `Identity` aliases followed.
 *
 * - nofuse export (Conv without bias + BatchNormalization): BN weight, bias, running mean and var load as they are.
 * - fused export (Conv with bias, no BN initializers, as every Ultralytics export writes): each BN becomes
 *   the identity with the conv bias as its shift (gamma 1, beta = bias, mean 0, var = 1 - eps); parameters a
 *   fused export folds away (`foldedValue`: yolov7's ImplicitA/M) take their neutral value.
 *
 * Everything is checked before anything is set: a missing initializer, a shape that differs
 * (`model.9.cv2.conv.weight: the model expects [256, 512, 1, 1], the file has [...]`) or a file of another
 * architecture (names missing and names unknown) fails naming the file, and the model keeps its weights.
 */
export async function importOnnxWeights(model: YoloModel, onnxPath: string, options: OnnxImportOptions = {}): Promise<OnnxImportReport> {
  return importOnnxModelWeights(model, await readOnnxModel(onnxPath), options);
}

/** {@link importOnnxWeights} for an ONNX model already read. */
export function importOnnxModelWeights(model: YoloModel, file: OnnxModelFile, options: OnnxImportOptions = {}): OnnxImportReport {
  const rename = options.rename ?? ((name: string) => name);
  const plan = new ImportPlan(model, file, rename);
  for (const parameter of model.parameters()) plan.add(parameter);
  plan.check();
  return plan.apply();
}

class ImportPlan {
  private readonly values = new Map<ModelParameter, Float32Array>();
  private readonly missing: string[] = [];
  private readonly mismatched: string[] = [];
  private readonly used = new Set<string>();
  private readonly fusedPrefixes = new Set<string>();
  private readonly folded: string[] = [];
  private foldable = 0;

  constructor(
    private readonly model: YoloModel,
    private readonly file: OnnxModelFile,
    private readonly rename: (name: string) => string,
  ) {}

  add(parameter: ModelParameter): void {
    if (parameter.foldedValue !== undefined) this.foldable++;
    const bn = BN_PARAMETER.exec(parameter.name);
    if (bn) return this.addBatchNorm(parameter, bn[1] as string, bn[2] as string);
    const found = this.lookup(parameter.name);
    if (!found && parameter.foldedValue !== undefined) {
      this.folded.push(parameter.name);
      this.values.set(parameter, new Float32Array(parameter.variable.size).fill(parameter.foldedValue));
      return;
    }
    if (!found) {
      // The fixed DFL projection is the same in every model; an export without it is still whole.
      if (parameter.role !== 'fixed') this.missing.push(this.rename(parameter.name));
      return;
    }
    if (this.shapeMatches(parameter.name, parameter.torchShape, found.dims)) this.values.set(parameter, toStoredLayout(parameter, found.data, found.dims));
  }

  private addBatchNorm(parameter: ModelParameter, prefix: string, field: string): void {
    const bnWeight = this.lookup(`${prefix}.bn.weight`);
    if (bnWeight) {
      const found = field === 'weight' ? bnWeight : this.lookup(parameter.name);
      if (!found) return void this.missing.push(this.rename(parameter.name));
      if (this.shapeMatches(parameter.name, parameter.torchShape, found.dims)) this.values.set(parameter, Float32Array.from(found.data));
      return;
    }
    const convBias = this.lookup(`${prefix}.conv.bias`);
    if (!convBias) {
      if (field === 'weight') this.missing.push(`${this.rename(`${prefix}.bn.weight`)} (or, for a fused export, ${this.rename(`${prefix}.conv.bias`)})`);
      return;
    }
    this.fusedPrefixes.add(prefix);
    const channels = parameter.torchShape[0] as number;
    if (field === 'bias') {
      if (this.shapeMatches(`${prefix}.conv.bias`, [channels], convBias.dims)) this.values.set(parameter, Float32Array.from(convBias.data));
      return;
    }
    const fill = { weight: 1, running_mean: 0, running_var: 1 - BN_EPS }[field as 'weight' | 'running_mean' | 'running_var'];
    this.values.set(parameter, new Float32Array(channels).fill(fill));
  }

  private lookup(name: string): { dims: number[]; data: Float32Array } | undefined {
    const fileName = this.rename(name);
    const found = this.file.initializer(fileName);
    if (found) this.used.add(fileName);
    return found;
  }

  private shapeMatches(name: string, expected: readonly number[], found: readonly number[]): boolean {
    const same = expected.length === found.length && expected.every((d, i) => d === found[i]);
    if (!same) this.mismatched.push(`${this.rename(name)}: the model expects [${expected.join(', ')}], the file has [${found.join(', ')}]`);
    return same;
  }

  check(): void {
    if (this.folded.length > 0 && this.folded.length < this.foldable) {
      const held = this.foldable - this.folded.length;
      throw new Error(`${this.file.source}: ${held} of the ${this.foldable} foldable parameters are in the file and ${this.folded.length} are not (${preview(this.folded)}); an export either folds them all or none`);
    }
    const unknown = [...this.file.initializers().keys()].filter((name) => STATE_DICT_NAME.test(name) && !this.used.has(name));
    const total = this.model.parameters().length;
    if (this.missing.length === 0 && this.mismatched.length === 0 && unknown.length === 0) return;
    const source = this.file.source;
    if (this.missing.length === 0 && unknown.length === 0 && this.mismatched.length <= 3) {
      throw new Error(`${source}: ${this.mismatched.join('; ')}`);
    }
    if (this.missing.length === 1 && unknown.length === 0 && this.mismatched.length === 0) {
      throw new Error(`${source}: no initializer '${this.missing[0]}' for ${this.model.name}`);
    }
    const parts: string[] = [];
    if (this.missing.length > 0) parts.push(`${this.missing.length} of its ${total} parameters are missing (${preview(this.missing)})`);
    if (unknown.length > 0) parts.push(`${unknown.length} initializers of the file are not parameters of ${this.model.name} (${preview(unknown)})`);
    if (this.mismatched.length > 0) parts.push(`${this.mismatched.length} shapes differ (${preview(this.mismatched, 2, '; ')})`);
    const description = this.file.metadata['description'];
    const says = description ? ` The file describes itself as '${description.trim()}'.` : '';
    throw new Error(
      `${source} does not hold the weights of ${this.model.name} (${this.model.headKind} head, ${this.model.numClasses} classes): ${parts.join('; ')}.` +
        `${says} Is it an export of another YOLO version, scale or class count?`,
    );
  }

  apply(): OnnxImportReport {
    tf.tidy(() => {
      for (const [parameter, data] of this.values) parameter.variable.assign(tf.tensor(data, parameter.variable.shape, 'float32'));
    });
    return {
      file: this.file.source,
      fused: this.fusedPrefixes.size > 0 || this.folded.length > 0,
      loaded: this.values.size,
      fusedBatchNorms: this.fusedPrefixes.size,
      foldedParameters: this.folded.length,
    };
  }
}

/** OIHW (PyTorch, ONNX) -> HWIO (tfjs) for conv kernels; other parameters keep their layout. */
function toStoredLayout(parameter: ModelParameter, data: Float32Array, dims: readonly number[]): Float32Array {
  if (parameter.layout !== 'conv') return Float32Array.from(data);
  const [o, i, kh, kw] = dims as [number, number, number, number];
  const out = new Float32Array(data.length);
  for (let a = 0; a < o; a++) {
    for (let b = 0; b < i; b++) {
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) out[((y * kw + x) * i + b) * o + a] = data[((a * i + b) * kh + y) * kw + x] as number;
      }
    }
  }
  return out;
}

function preview(items: readonly string[], count = 4, separator = ', '): string {
  return items.length <= count ? items.join(separator) : `${items.slice(0, count).join(separator)}${separator}...`;
}
