import * as tf from '@tensorflow/tfjs-core';
import type { HeadDescription, HeadKind, ModelOutput, TeacherForwardOptions, OnnxFloatTensor, OnnxSession, Teacher, Tensor, Tensor4D } from '@yolo-distill/core';
import type { OnnxValueInfo } from '../onnx/onnx-model.js';
import type { DetectHeadLayout } from './detect-head-layout.js';
import type { HeadDecoder } from './head-decoder.js';
import { imagesPerRun } from './input-shape.js';
import { joinBatches, nchwToNhwc, nhwcToNchw } from './nchw-layout.js';

export interface OnnxTeacherParts {
  /** The ONNX file (absolute path): the teacher's weightsSource and the start of its errors. */
  readonly file: string;
  readonly name: string;
  readonly head: DetectHeadLayout;
  /** Tap name -> ONNX tensor (`neck.0` -> `/model.17/cv3/act/Mul_output_0`); each one a graph output of `session`. */
  readonly taps: Readonly<Record<string, string>>;
  /** The graph's image input. */
  readonly input: OnnxValueInfo;
  /** A session of the graph with the head convs' outputs and the taps added as outputs. */
  readonly session: OnnxSession;
  /** Decodes the head maps (see `headDecoder`); without it the teacher has no `decode`. */
  readonly decoder?: HeadDecoder;
}

/**
 * A frozen teacher run by onnxruntime: NHWC images in, raw head maps in our models' NHWC layout
 * (anchor-based `[B, H, W, na * (5 + nc)]`, anchor-free `[B, H, W, 4 * regMax + nc]`) and the
 * requested feature maps (NHWC) out. Build one with {@link createOnnxTeacher}.
 */
export class OnnxTeacher implements Teacher {
  readonly name: string;
  readonly headKind: HeadKind;
  readonly numClasses: number;
  readonly headDescription?: HeadDescription;
  readonly taps: readonly string[];
  readonly weightsSource: string;
  /** True when the session runs in its own worker_thread (see `OnnxSessionOptions.worker`). */
  readonly offThread: boolean;
  readonly head: DetectHeadLayout;
  readonly input: OnnxValueInfo;
  /**
   * Decoded predictions `[B, N, 4 + nc]` as `DetectionModel.decode` gives them; present when the file
   * tells the strides (and, anchor-based, the anchors: exports that decode in the graph, like v5's).
   */
  readonly decode?: (output: ModelOutput) => Tensor;
  private readonly tapTensors: ReadonlyMap<string, string>;
  private readonly session: OnnxSession;
  private disposed = false;

  constructor(parts: OnnxTeacherParts) {
    this.name = parts.name;
    this.head = parts.head;
    this.headKind = parts.head.kind;
    this.numClasses = parts.head.numClasses;
    const description = describeExportedHead(parts.head);
    if (description) this.headDescription = description;
    this.weightsSource = parts.file;
    this.input = parts.input;
    this.session = parts.session;
    this.offThread = parts.session.offThread === true;
    this.tapTensors = new Map(Object.entries(parts.taps));
    this.taps = [...this.tapTensors.keys()];
    const decoder = parts.decoder;
    if (decoder) this.decode = (output) => decoder(output.head as tf.Tensor4D[]);
  }

  async forward(images: Tensor4D, taps: readonly string[], options?: TeacherForwardOptions): Promise<ModelOutput> {
    if (this.disposed) throw new Error(`${this.name}: the teacher was disposed`);
    if (options?.mix) {
      throw new Error(`${this.name}: an ONNX teacher runs as one graph, so a feature mix at '${options.mix.at}' cannot happen inside it; use an adapter teacher (e.g. yolov5.Model with weights:) for feature CutMix`);
    }
    const wanted = [...new Set(taps)];
    const unknown = wanted.filter((tap) => !this.tapTensors.has(tap));
    if (unknown.length > 0) throw new Error(`${this.name}: unknown tap${unknown.length > 1 ? 's' : ''} '${unknown.join("', '")}'; known taps: ${this.taps.join(', ') || '(none)'}`);
    const chunk = imagesPerRun(this.input, images.shape, this.name);
    const names = [...new Set([...this.head.levels.flatMap((level) => level.outputs), ...wanted.map((tap) => this.tapTensors.get(tap) as string)])];
    // Every run is handed to the session before the first await (a session in a worker starts at once).
    const results = await this.run(nhwcToNchw(images), images.shape, chunk, names);
    const where = (tensor: string) => `${this.weightsSource}: tensor '${tensor}'`;
    return tf.tidy(() => {
      const head = this.head.levels.map((level, i) => {
        const maps = level.outputs.map((tensor) => nchwToNhwc(results.get(tensor) as OnnxFloatTensor, where(tensor)));
        this.checkHeadChannels(i, maps);
        return maps.length === 1 ? (maps[0] as tf.Tensor4D) : tf.concat(maps, 3);
      });
      const features: Record<string, Tensor4D> = {};
      for (const tap of wanted) {
        const tensor = this.tapTensors.get(tap) as string;
        features[tap] = nchwToNhwc(results.get(tensor) as OnnxFloatTensor, `${where(tensor)} (tap ${tap})`);
      }
      return { head, features };
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.session.release().catch(() => undefined);
  }

  /** Runs the graph on NCHW images, `chunk` images at a time (all runs queued at once), and joins the chunks per output. */
  private async run(nchw: Float32Array, shape: readonly number[], chunk: number, names: readonly string[]): Promise<Map<string, OnnxFloatTensor>> {
    const [batch, height, width, channels] = shape as [number, number, number, number];
    const inputName = this.input.name;
    const perImage = channels * height * width;
    const chunks = new Map<string, OnnxFloatTensor[]>(names.map((name) => [name, []]));
    const runs: Promise<Record<string, OnnxFloatTensor>>[] = [];
    for (let start = 0; start < batch; start += chunk) {
      const data = chunk === batch ? nchw : nchw.slice(start * perImage, (start + chunk) * perImage);
      runs.push(this.session.run({ [inputName]: { data, dims: [chunk, channels, height, width] } }, names));
    }
    for (const outputs of await Promise.all(runs)) {
      for (const name of names) {
        const output = outputs[name];
        if (!output) throw new Error(`${this.weightsSource}: onnxruntime returned no '${name}'`);
        chunks.get(name)?.push(output);
      }
    }
    return new Map([...chunks].map(([name, parts]) => [name, joinBatches(parts)]));
  }

  private checkHeadChannels(level: number, maps: readonly tf.Tensor4D[]): void {
    const channels = maps.map((map) => map.shape[3]);
    const { kind, numClasses, anchorsPerLevel, regMax, origin } = this.head;
    const fail = (expected: string) => {
      throw new Error(`${this.weightsSource}: level ${level} of the head (${origin}) has ${channels.join(' + ')} channels; expected ${expected}`);
    };
    if (kind === 'anchor-based') {
      const [count] = channels as [number];
      if (anchorsPerLevel !== undefined ? count !== anchorsPerLevel * (5 + numClasses) : count % (5 + numClasses) !== 0) {
        fail(`na * (5 + ${numClasses})${anchorsPerLevel !== undefined ? ` = ${anchorsPerLevel * (5 + numClasses)}` : ''}`);
      }
      return;
    }
    const [box, cls] = channels as [number, number];
    if (cls !== numClasses || (regMax !== undefined ? box !== 4 * regMax : box % 4 !== 0)) fail(`4 * reg_max${regMax !== undefined ? ` = ${4 * regMax}` : ''} box bins + ${numClasses} classes`);
  }
}

/** What the export tells of its head: anchors (anchor-based exports that decode in the graph) or DFL bins. */
function describeExportedHead(head: DetectHeadLayout): HeadDescription | undefined {
  const strides = head.strides ?? [];
  if (head.kind === 'anchor-based') return head.anchors ? { kind: head.kind, numClasses: head.numClasses, strides, anchors: head.anchors } : undefined;
  return head.regMax === undefined ? undefined : { kind: head.kind, numClasses: head.numClasses, strides, regMax: head.regMax };
}
