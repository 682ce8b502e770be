import { parseActivation, IDENTITY, type Activation } from './activation.js';
import { ConvBnAct } from './conv-layers.js';
import { defineModule, scaleChannels, type ModuleDefinition } from './module-entry.js';
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

/** Reads `act` at `index`: True (the model default), False (none) or a text like `nn.LeakyReLU(0.1)`. */
export function readActivationArg(args: ModuleArgs, index: number): boolean | Activation {
  const raw = args.raw(index);
  if (typeof raw !== 'string') return args.bool(index, 'act', true);
  const parsed = parseActivation(raw);
  if (!parsed) throw args.error(index, `argument ${index} (act) must be True, False or an activation like nn.LeakyReLU(0.1), found ${show(raw)}`);
  return parsed;
}

/** The activation `act` stands for, given the model's default. */
export function resolveActivation(act: boolean | Activation, fallback: Activation): Activation {
  return act === true ? fallback : act === false ? IDENTITY : act;
}

/**
 * `Conv`: conv (no bias) + BatchNorm + activation. State dict: `<prefix>.conv.weight`, `<prefix>.bn.*`.
 * Ultralytics (v3, v5, v8) writes `[c2, k, s, p, g, d, act]`; WongKinYiu/yolov7 has no dilation:
 * `[c2, k, s, p, g, act]` (yolov7-tiny's rows end in `nn.LeakyReLU(0.1)` at index 5).
 */
function makeConvModule(variant: 'ultralytics' | 'yolov7'): ModuleDefinition<ConvArgs> {
  const actAt = variant === 'yolov7' ? 5 : 6;
  return defineModule<ConvArgs>({
    name: 'Conv',
    signature: variant === 'yolov7' ? '[c2, k=1, s=1, p=None, g=1, act=True]' : '[c2, k=1, s=1, p=None, g=1, d=1, act=True]',
    repeat: 'stacked',
    inputs: 'single',
    role: 'layer',
    parseArgs(args) {
      args.atLeast(1);
      args.atMost(actAt + 1);
      args.ungrouped(4);
      const d = variant === 'yolov7' ? 1 : args.int(5, 'd', { default: 1 });
      return { c2: args.int(0, 'c2'), k: squareKernel(args, 1), s: args.int(2, 's', { default: 1 }), p: args.optionalInt(3, 'p'), d, act: readActivationArg(args, actAt) };
    },
    outputChannels: (args, _inputs, scaling) => scaleChannels(args.c2, scaling),
    outputStride: (args, [stride = 1]) => stride * args.s,
    build({ prefix, args, inputChannels: [c1 = 0], outputChannels, params, activation }) {
      const act = resolveActivation(args.act, activation);
      const conv = new ConvBnAct(params, prefix, c1, outputChannels, { kernel: args.k, stride: args.s, padding: args.p, dilation: args.d, activation: act });
      return { kind: 'layer', forward: ([x], mode) => conv.forward(x!, mode.training) };
    },
  });
}

/** Ultralytics' `Conv(c1, c2, k, s, p, g, d, act)`. */
export const convModule = makeConvModule('ultralytics');
/** WongKinYiu/yolov7's `Conv(c1, c2, k, s, p, g, act)`. */
export const yolov7ConvModule = makeConvModule('yolov7');

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
