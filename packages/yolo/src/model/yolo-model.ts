import * as tf from '@tensorflow/tfjs-core';
import {
  closestMatch,
  type CheckpointPayload,
  type DetectionModel,
  type ForwardOptions,
  type HeadDescription,
  type HeadKind,
  type ImageBatch,
  type LossTerms,
  type ModelGraph,
  type NativeLossOptions,
  type ModelOutput,
  type NamedTensors,
  type StoredTensor,
} from '@yolo-distill/core';
import { describeModelGraph } from '../graph/describe-model-graph.js';
import { decodeAsExported, decodeDetections } from '../heads/decode.js';
import type { HeadSpec } from '../heads/head-spec.js';
import { headKind } from '../heads/kinds/head-kinds.js';
import type { ForwardMode, HeadInstance, LayerInstance } from '../modules/module-entry.js';
import { ParameterStore, type ModelParameter } from '../modules/parameters.js';
import type { LayerSpec, ModelSpec } from '../yaml/model-spec.js';
import { checkpointChannelWidths, sameWidths } from './channel-widths.js';

/** A version's native detection loss; it gets the head description (strides, anchors, reg_max) too. */
export type YoloLossFunction = (output: ModelOutput, batch: ImageBatch, head: HeadSpec, options?: NativeLossOptions) => LossTerms;

export interface YoloModelOptions {
  /** Names the model in messages and checkpoints (`yolov5n`); defaults to the YAML file name. */
  readonly name?: string;
  /** The native loss the adapter supplies; `loss()` throws without one. */
  readonly loss?: YoloLossFunction;
  /** Seeds the PyTorch-style initialisation of the weights. */
  readonly seed?: number;
  /** The native loss's objectness weight per level (v5's balance), told to distillation losses. */
  readonly levelBalance?: (numLevels: number) => readonly number[];
}

/** What `saveState` writes in `meta`, and `loadState` checks. */
export const YOLO_STATE_FORMAT = 'yolo-distill.YoloModel/1';

interface BuiltLayer {
  readonly spec: LayerSpec;
  readonly forward: (inputs: readonly tf.Tensor4D[], mode: ForwardMode) => tf.Tensor4D;
}

/**
 * A YOLO detector built from a model YAML (see `parseModelYaml`): trainable tfjs Variables named by
 * the Ultralytics state-dict keys, NHWC maps, conv kernels HWIO.
 *
 * `forward(images)` takes NHWC images in 0..1 and returns the raw head outputs (one NHWC map per
 * level) and the requested taps: `layer.N` (output of row N), `backbone.N` (the same, for backbone
 * rows) and `neck.0..k` (the maps entering the detection head: P3, P4, P5).
 */
export class YoloModel implements DetectionModel {
  readonly name: string;
  readonly headKind: HeadKind;
  readonly numClasses: number;
  readonly strides: readonly number[];
  readonly taps: readonly string[];
  readonly head: HeadSpec;
  readonly headDescription: HeadDescription;
  /** Set by whoever loads weights into the model (the adapter descriptor): the file or folder they came from. */
  weightsSource: string | undefined;
  private readonly params: ParameterStore;
  private readonly layers: BuiltLayer[];
  private readonly headLayer: LayerSpec;
  private readonly headInstance: HeadInstance;
  private readonly tapRows = new Map<string, number>();
  private readonly lastUse: number[];
  private readonly lossFunction: YoloLossFunction | undefined;

  constructor(
    readonly spec: ModelSpec,
    private readonly options: YoloModelOptions = {},
  ) {
    this.name = options.name ?? spec.file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '') + (spec.scale ?? '');
    this.lossFunction = options.loss;
    this.params = new ParameterStore(this.name, options.seed ?? 0, spec.channelWidths);
    const headLayer = spec.layers[spec.layers.length - 1];
    if (!headLayer || headLayer.module.role !== 'head') throw new Error(`${spec.file}: the last row must be a detection head`);
    this.headLayer = headLayer;
    try {
      this.layers = spec.layers.slice(0, -1).map((layer) => this.buildLayer(layer));
      const instance = headLayer.module.build(this.contextOf(headLayer, `model.${headLayer.index}`, headLayer.inputStrides));
      if (instance.kind !== 'head') throw new Error(`${headLayer.where}: ${headLayer.row}: ${headLayer.module.name} did not build a head`);
      this.headInstance = instance;
      const unused = this.params.unusedWidths();
      if (unused.length > 0) throw new Error(`${this.name}: channel widths were given for ${preview(unused)}, which no conv of the model builds (the module does not take pruned widths)`);
    } catch (error) {
      this.params.dispose();
      throw error;
    }
    this.head = this.headInstance.spec;
    this.headKind = this.head.kind;
    this.numClasses = this.head.numClasses;
    this.strides = this.head.strides;
    this.headDescription = describeHead(this.head, options.levelBalance);

    for (const layer of this.layers) {
      if (layer.spec.section === 'backbone') this.tapRows.set(`backbone.${layer.spec.index}`, layer.spec.index);
    }
    headLayer.from.forEach((row, k) => this.tapRows.set(`neck.${k}`, row));
    for (const layer of this.layers) this.tapRows.set(`layer.${layer.spec.index}`, layer.spec.index);
    this.taps = [...this.tapRows.keys()];
    // The last row that reads each output, so that eval passes free maps early.
    this.lastUse = spec.layers.map(() => -1);
    for (const layer of spec.layers) for (const f of layer.from) if (f >= 0) this.lastUse[f] = Math.max(this.lastUse[f] as number, layer.index);
  }

  private contextOf(layer: LayerSpec, prefix: string, inputStrides: readonly number[], inputChannels = layer.inputChannels) {
    return {
      prefix,
      args: layer.args,
      inputChannels,
      outputChannels: layer.outputChannels,
      inputStrides,
      repeats: layer.module.repeat === 'internal' ? layer.repeats : 1,
      params: this.params,
      activation: this.spec.activation,
      scaling: this.spec.scaling,
    };
  }

  private buildLayer(layer: LayerSpec): BuiltLayer {
    const prefix = `model.${layer.index}`;
    const copies = layer.module.repeat === 'stacked' && layer.repeats > 1 ? layer.repeats : 1;
    const instances: LayerInstance[] = [];
    let strides = layer.inputStrides;
    for (let j = 0; j < copies; j++) {
      const instance = layer.module.build(this.contextOf(layer, copies > 1 ? `${prefix}.${j}` : prefix, strides));
      if (instance.kind !== 'layer') throw new Error(`${layer.where}: ${layer.row}: ${layer.module.name} is a head and must be the last row`);
      instances.push(instance);
      strides = [layer.module.outputStride(layer.args, strides)];
    }
    if (instances.length === 1) return { spec: layer, forward: (inputs, mode) => (instances[0] as LayerInstance).forward(inputs, mode) };
    return { spec: layer, forward: (inputs, mode) => instances.reduce((x, instance) => instance.forward([x] as tf.Tensor4D[], mode), inputs[0] as tf.Tensor4D) };
  }

  /**
   * A new model of the same name, loss and seed built from another spec (e.g. `withAnchors(model.spec,
   * ...)`): fresh weights (the same ones where the layers are the same), this model untouched.
   */
  withSpec(spec: ModelSpec): YoloModel {
    return new YoloModel(spec, this.options);
  }

  /** Every parameter with its state-dict name, role and PyTorch shape. */
  parameters(): readonly ModelParameter[] {
    return this.params.list();
  }

  /** Parameter count as Ultralytics reports it (`model.parameters()`: weights, BN affine, the DFL conv; no running stats). */
  parameterCount(): number {
    return this.params.list().reduce((sum, p) => (p.role === 'running-stat' ? sum : sum + p.variable.size), 0);
  }

  forward(images: tf.Tensor4D, options: ForwardOptions): ModelOutput {
    const wanted = [...new Set(options.taps ?? [])];
    for (const tap of wanted) {
      if (!this.tapRows.has(tap)) {
        const hint = closestMatch(tap, this.taps);
        throw new Error(`${this.name}: unknown tap '${tap}'${hint ? ` (did you mean '${hint}'?)` : ''}; taps are backbone.N, layer.N (rows 0..${this.layers.length - 1}) and neck.0..${this.headLayer.from.length - 1}`);
      }
    }
    if (images.rank !== 4 || images.shape[3] !== this.spec.inputChannels) {
      throw new Error(`${this.name}: forward expects NHWC images [B, H, W, ${this.spec.inputChannels}], got [${images.shape.join(', ')}]`);
    }
    const maxStride = Math.max(...this.spec.layers.map((layer) => layer.stride));
    if (images.shape[1] % maxStride !== 0 || images.shape[2] % maxStride !== 0) {
      throw new Error(`${this.name}: image size ${images.shape[1]}x${images.shape[2]} must be a multiple of the largest stride ${maxStride}`);
    }
    const mode: ForwardMode = { training: options.training };
    const keep = new Set(wanted.map((tap) => this.tapRows.get(tap) as number));
    const mix = options.mix;
    const mixRow = mix ? this.tapRows.get(mix.at) : undefined;
    if (mix && mixRow === undefined) throw new Error(`${this.name}: cannot mix at unknown tap '${mix.at}'`);
    this.params.activeConvHook = options.conv;
    let result: tf.Tensor4D[];
    try {
      result = tf.tidy(() => {
        const outputs: (tf.Tensor4D | undefined)[] = [];
        const inputsOf = (layer: LayerSpec) => layer.from.map((f) => (f === -1 ? images : (outputs[f] as tf.Tensor4D)));
        for (const layer of this.layers) {
          const index = layer.spec.index;
          outputs[index] = layer.forward(inputsOf(layer.spec), mode);
          // The rest of the network (and the tap, if recorded) sees the mixed map.
          if (mix && index === mixRow) outputs[index] = mix.apply(outputs[index] as tf.Tensor4D);
          // Free maps no later row reads (a gradient tape keeps its own copies of what it needs).
          for (const f of layer.spec.from) {
            if (f >= 0 && this.lastUse[f] === index && !keep.has(f)) {
              const done = outputs[f];
              if (done && done !== images && done !== outputs[index]) done.dispose();
            }
          }
        }
        const head = this.headInstance.forward(inputsOf(this.headLayer), mode);
        return [...head, ...wanted.map((tap) => outputs[this.tapRows.get(tap) as number] as tf.Tensor4D)];
      });
    } finally {
      this.params.activeConvHook = undefined;
    }
    const levels = this.headLayer.from.length;
    const features: Record<string, tf.Tensor4D> = {};
    wanted.forEach((tap, i) => (features[tap] = result[levels + i] as tf.Tensor4D));
    return { head: result.slice(0, levels), features };
  }

  loss(output: ModelOutput, batch: ImageBatch, options?: NativeLossOptions): LossTerms {
    if (!this.lossFunction) throw new Error(`${this.name}: no loss function was given to this model (the adapter's build passes one)`);
    return this.lossFunction(output, batch, this.head, options);
  }

  /**
   * `[B, N, 4 + nc]`: `cx, cy, w, h` in input pixels, then per-class confidence (anchor-based:
   * sigmoid(obj) * sigmoid(cls); DFL: sigmoid(cls)); rows level > (anchor >) y > x.
   */
  decode(output: ModelOutput): tf.Tensor3D {
    return decodeDetections(this.headMaps(output), this.head, this.headInstance.projection);
  }

  /** The decoded output in the layout of the version's ONNX export (v5: `[B, N, 5 + nc]`; v8: `[B, 4 + nc, N]`). */
  decodeAsExported(output: ModelOutput): tf.Tensor3D {
    return decodeAsExported(this.headMaps(output), this.head, this.headInstance.projection);
  }

  /** The inference graph as the layers describe themselves (see `describeModelGraph`): what exporters write. */
  graph(): ModelGraph {
    return describeModelGraph(this.spec, this.getWeights(), this.name);
  }

  private headMaps(output: ModelOutput): tf.Tensor4D[] {
    if (output.head.length !== this.strides.length || output.head.some((t) => t.rank !== 4)) {
      throw new Error(`${this.name}: decode expects ${this.strides.length} raw NHWC head maps, got ${output.head.length} tensor(s) of rank ${output.head.map((t) => t.rank).join(', ')}`);
    }
    return output.head as tf.Tensor4D[];
  }

  /** Trainable weights: conv kernels and biases, BN gamma and beta (not running stats, not the fixed DFL conv). */
  trainableVariables(): readonly tf.Variable[] {
    return this.params.list().flatMap((p) => (p.role === 'trainable' ? [p.variable] : []));
  }

  /**
   * Every parameter by state-dict name, as stored (conv kernels HWIO). These are the live variables:
   * read or clone them, do not dispose them.
   */
  getWeights(): NamedTensors {
    return Object.fromEntries(this.params.list().map((p) => [p.name, p.variable]));
  }

  /** Sets parameters by state-dict name (stored layout, conv kernels HWIO); all are checked before any is set. */
  setWeights(weights: NamedTensors): void {
    const problems: string[] = [];
    for (const [name, tensor] of Object.entries(weights)) {
      const parameter = this.params.get(name);
      if (!parameter) {
        const hint = closestMatch(name, this.params.list().map((p) => p.name));
        problems.push(`unknown parameter '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
      } else if (!sameShape(tensor.shape, parameter.variable.shape)) {
        problems.push(`${name}: the model holds [${parameter.variable.shape.join(', ')}], the new value is [${tensor.shape.join(', ')}]`);
      }
    }
    if (problems.length > 0) throw new Error(`${this.name}: setWeights: ${problems.join('; ')}`);
    for (const [name, tensor] of Object.entries(weights)) {
      const variable = (this.params.get(name) as ModelParameter).variable;
      tf.tidy(() => variable.assign(tensor.dtype === 'float32' ? tensor : tf.cast(tensor, 'float32')));
    }
  }

  async saveState(): Promise<CheckpointPayload> {
    const tensors: Record<string, StoredTensor> = {};
    for (const p of this.params.list()) {
      tensors[p.name] = { shape: [...p.variable.shape], dtype: 'float32', data: Float32Array.from(await p.variable.data<'float32'>()) };
    }
    // Anchors are no weights, but an anchor-based head's outputs only mean something with them: the kind says what to keep.
    const head = headKind(this.head.kind).checkpointMeta(this.head);
    return {
      meta: {
        format: YOLO_STATE_FORMAT,
        name: this.name,
        numClasses: this.numClasses,
        scale: this.spec.scale ?? null,
        layout: 'NHWC, conv kernels HWIO',
        ...head,
        // A pruned model's channel counts travel with its weights, so that it can be rebuilt from them.
        ...(this.spec.channelWidths ? { channelWidths: this.spec.channelWidths } : {}),
      },
      tensors,
    };
  }

  /**
   * A model whose parameters have the shapes `payload` holds: this one, or (a checkpoint of a pruned
   * model, `meta.channelWidths`) the same model rebuilt with those channel counts (fresh weights).
   */
  shapedFor(payload: CheckpointPayload): YoloModel {
    const widths = checkpointChannelWidths(payload.meta, this.name);
    if (sameWidths(widths, this.spec.channelWidths)) return this;
    const { channelWidths: _old, ...nominal } = this.spec;
    const rebuilt = this.withSpec(widths ? { ...nominal, channelWidths: widths } : nominal);
    rebuilt.weightsSource = this.weightsSource;
    return rebuilt;
  }

  async loadState(payload: CheckpointPayload): Promise<void> {
    const where = `${this.name}: loadState`;
    if (payload.meta['format'] !== undefined && payload.meta['format'] !== YOLO_STATE_FORMAT) {
      throw new Error(`${where}: the checkpoint's format is ${String(payload.meta['format'])}, expected ${YOLO_STATE_FORMAT}`);
    }
    const problems: string[] = [];
    const known = new Set(this.params.list().map((p) => p.name));
    const missing = [...known].filter((name) => !(name in payload.tensors));
    const unexpected = Object.keys(payload.tensors).filter((name) => !known.has(name));
    if (missing.length > 0) problems.push(`${missing.length} parameter(s) missing (${preview(missing)})`);
    if (unexpected.length > 0) problems.push(`${unexpected.length} unknown tensor(s) (${preview(unexpected)})`);
    const mismatched: string[] = [];
    for (const p of this.params.list()) {
      const stored = payload.tensors[p.name];
      if (!stored) continue;
      if (stored.dtype !== 'float32') mismatched.push(`${p.name}: dtype ${stored.dtype}, expected float32`);
      else if (!sameShape(stored.shape, p.variable.shape)) mismatched.push(`${p.name}: the model holds [${p.variable.shape.join(', ')}], the checkpoint has [${stored.shape.join(', ')}]`);
    }
    if (mismatched.length > 0) problems.push(mismatched.length === 1 ? (mismatched[0] as string) : `${mismatched.length} tensors differ (${preview(mismatched, 2)})`);
    if (problems.length > 0 && !sameWidths(checkpointChannelWidths(payload.meta, this.name), this.spec.channelWidths)) {
      problems.push('the checkpoint holds other channel counts (a pruned model): rebuild the model for it (shapedFor, or the model descriptor with weights:)');
    }
    if (problems.length > 0) {
      const other = payload.meta['name'] !== undefined && payload.meta['name'] !== this.name ? ` (the checkpoint is of ${String(payload.meta['name'])})` : '';
      throw new Error(`${where}${other}: ${problems.join('; ')}`);
    }
    for (const p of this.params.list()) {
      const stored = payload.tensors[p.name] as StoredTensor;
      tf.tidy(() => p.variable.assign(tf.tensor(stored.data as Float32Array, [...stored.shape], 'float32')));
    }
  }

  dispose(): void {
    this.params.dispose();
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function preview(names: readonly string[], count = 4): string {
  return names.length <= count ? names.join('; ') : `${names.slice(0, count).join('; ')}; ...`;
}

/** The head as distillation losses see it: the spec plus the native loss's level balance. */
function describeHead(head: HeadSpec, levelBalance: YoloModelOptions['levelBalance']): HeadDescription {
  const balance = levelBalance ? { levelBalance: levelBalance(head.strides.length) } : {};
  return { ...headKind(head.kind).describe(head), ...balance };
}
