/**
 * The probe network as an ONNX graph (BN folded into the convs, random He-scaled weights): the
 * benchmark's ONNX teacher. At width 2 the YOLOv5n-shaped probe is YOLOv5s-shaped (same depth, twice
 * the channels). The project has no model exporter yet (the export issue), so this writes the graph
 * with packages/yolo's OnnxModelBuilder; the teacher names its head and taps (`head:` / `taps:`).
 */
import { OnnxModelBuilder } from '@yolo-distill/yolo';
import type { ProbeLayer } from '@yolo-distill/backend/probe-net';

export interface ProbeOnnx {
  readonly bytes: Uint8Array;
  /** Graph outputs of the detect convs, P3..P5. */
  readonly head: readonly string[];
  /** `neck.k` -> the map entering detect conv k. */
  readonly taps: Readonly<Record<string, string>>;
  readonly parameters: number;
}

/** A seeded normal sampler (mulberry32 + Box-Muller). */
function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

export function probeOnnx(layers: readonly ProbeLayer[], outputs: readonly number[], options: { width: number; classes: number; anchors: number; size: number; seed: number }): ProbeOnnx {
  const builder = new OnnxModelBuilder({ opset: 13, producerName: 'yolo-distill bench' }).input('images', ['batch', 3, options.size, options.size]);
  const normal = normals(options.seed);
  let parameters = 0;
  let id = 0;
  const conv = (x: string, cin: number, cout: number, k: number, s: number, p: number, act: boolean): string => {
    const name = `conv${id++}`;
    const weights = new Float32Array(cout * cin * k * k);
    const scale = Math.sqrt(2 / (cin * k * k));
    for (let i = 0; i < weights.length; i++) weights[i] = normal() * scale;
    builder.initializer(`${name}.w`, weights, [cout, cin, k, k]).initializer(`${name}.b`, new Float32Array(cout), [cout]);
    parameters += weights.length + cout;
    builder.node('Conv', [x, `${name}.w`, `${name}.b`], [`${name}.y`], { kernel_shape: [k, k], strides: [s, s], pads: [p, p, p, p] });
    if (!act) return `${name}.y`;
    builder.node('Sigmoid', [`${name}.y`], [`${name}.sig`]).node('Mul', [`${name}.y`, `${name}.sig`], [`${name}.out`]);
    return `${name}.out`;
  };
  const cat = (inputs: readonly string[]) => {
    const out = `cat${id++}`;
    builder.node('Concat', inputs, [out], { axis: 1 });
    return out;
  };
  builder.initializer('up.roi', new Float32Array(0), [0]).initializer('up.scales', new Float32Array([1, 1, 2, 2]), [4]);
  const outs: string[] = [];
  const channels: number[] = [];
  const detectOut = options.anchors * (5 + options.classes);
  for (const [index, layer] of layers.entries()) {
    const source = (from: number) => (from < 0 ? index + from : from);
    const from = typeof layer.from === 'number' ? source(layer.from) : index - 1;
    const x = index === 0 ? 'images' : (outs[from] as string);
    const cin = index === 0 ? 3 : (channels[from] as number);
    const width = (c: number) => c * options.width;
    let y: string;
    let c: number;
    switch (layer.op) {
      case 'conv': {
        const act = layer.bnAct ?? true;
        c = act ? width(layer.out) : detectOut;
        y = conv(x, cin, c, layer.k, layer.s, layer.p ?? Math.floor(layer.k / 2), act);
        break;
      }
      case 'c3': {
        c = width(layer.out);
        const h = c / 2;
        let a = conv(x, cin, h, 1, 1, 0, true);
        for (let i = 0; i < layer.n; i++) {
          const b = conv(conv(a, h, h, 1, 1, 0, true), h, h, 3, 1, 1, true);
          if (layer.shortcut) {
            const sum = `add${id++}`;
            builder.node('Add', [a, b], [sum]);
            a = sum;
          } else {
            a = b;
          }
        }
        y = conv(cat([a, conv(x, cin, h, 1, 1, 0, true)]), 2 * h, c, 1, 1, 0, true);
        break;
      }
      case 'sppf': {
        c = width(layer.out);
        const a = conv(x, cin, cin / 2, 1, 1, 0, true);
        const pools = [a];
        for (let i = 0; i < 3; i++) {
          const pooled = `pool${id++}`;
          builder.node('MaxPool', [pools[i] as string], [pooled], { kernel_shape: [5, 5], strides: [1, 1], pads: [2, 2, 2, 2] });
          pools.push(pooled);
        }
        y = conv(cat(pools), cin * 2, c, 1, 1, 0, true);
        break;
      }
      case 'up':
        y = `up${id++}`;
        c = cin;
        builder.node('Resize', [x, 'up.roi', 'up.scales'], [y], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
        break;
      case 'cat': {
        const sources = layer.from.map(source);
        y = cat(sources.map((i) => outs[i] as string));
        c = sources.reduce((sum, i) => sum + (channels[i] as number), 0);
        break;
      }
    }
    outs.push(y);
    channels.push(c);
  }
  const head = outputs.map((i) => outs[i] as string);
  const taps: Record<string, string> = {};
  outputs.forEach((output, k) => {
    const detect = layers[output] as ProbeLayer & { from: number };
    taps[`neck.${k}`] = outs[detect.from] as string;
  });
  for (const name of head) builder.output(name, null);
  return { bytes: builder.encode(), head, taps, parameters };
}
