import { parseActivation, IDENTITY, type Activation } from './activation.js';
import { ConvBnAct } from './conv-layers.js';
import { defineModule, scaleChannels } from './module-entry.js';
import { show, type ModuleArgs } from './module-args.js';

export interface ConvArgs {
  readonly c2: number;
  readonly k: number;
  readonly s: number;
  readonly p: number | undefined;
  readonly d: number;
  /** true: the model's default activation; false: none; or an explicit one. */
  readonly act: boolean | Activation;
}

/** `Conv`: conv (no bias) + BatchNorm + activation. State dict: `<prefix>.conv.weight`, `<prefix>.bn.*`. */
export const convModule = defineModule<ConvArgs>({
  name: 'Conv',
  signature: '[c2, k=1, s=1, p=None, g=1, d=1, act=True]',
  repeat: 'stacked',
  inputs: 'single',
  role: 'layer',
  parseArgs(args) {
    args.atLeast(1);
    args.atMost(7);
    args.ungrouped(4);
    const rawAct = args.raw(6);
    let act: boolean | Activation = true;
    if (typeof rawAct === 'string') {
      const parsed = parseActivation(rawAct);
      if (!parsed) throw args.error(6, `argument 6 (act) must be True, False or an activation like nn.LeakyReLU(0.1), found ${show(rawAct)}`);
      act = parsed;
    } else {
      act = args.bool(6, 'act', true);
    }
    return { c2: args.int(0, 'c2'), k: squareKernel(args, 1), s: args.int(2, 's', { default: 1 }), p: args.optionalInt(3, 'p'), d: args.int(5, 'd', { default: 1 }), act };
  },
  outputChannels: (args, _inputs, scaling) => scaleChannels(args.c2, scaling),
  outputStride: (args, [stride = 1]) => stride * args.s,
  build({ prefix, args, inputChannels: [c1 = 0], outputChannels, params, activation }) {
    const act = args.act === true ? activation : args.act === false ? IDENTITY : args.act;
    const conv = new ConvBnAct(params, prefix, c1, outputChannels, { kernel: args.k, stride: args.s, padding: args.p, dilation: args.d, activation: act });
    return { kind: 'layer', forward: ([x], mode) => conv.forward(x!, mode.training) };
  },
});

/** `k` as an int, or as a square pair `[k, k]` (yolov3.yaml writes `Conv, [512, [1, 1]]`). */
function squareKernel(args: ModuleArgs, index: number): number {
  const raw = args.raw(index);
  if (!Array.isArray(raw)) return args.int(index, 'k', { default: 1 });
  const [h, w] = raw as unknown[];
  if (raw.length !== 2 || !Number.isInteger(h) || (h as number) < 1 || h !== w) {
    throw args.error(index, `argument ${index} (k) must be an integer or a square pair like [1, 1], found ${JSON.stringify(raw)}`);
  }
  return h as number;
}
