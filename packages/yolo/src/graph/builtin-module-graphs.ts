// The graph descriptions of the modules in module-lists.ts, by module entry (the yolov5 and Ultralytics
// variants of Bottleneck, SPPF and Detect are different entries with the same YAML name).
import { IDENTITY, type Activation } from '../modules/activation.js';
import { bottleneckModule, ultralyticsBottleneckModule, type BottleneckArgs } from '../modules/bottleneck.js';
import { c2fModule, type C2fArgs } from '../modules/c2f.js';
import { c3Module, type C3Args } from '../modules/c3.js';
import { concatModule } from '../modules/concat.js';
import { convModule, type ConvArgs } from '../modules/conv.js';
import { detectModule } from '../modules/detect.js';
import { dflDetectModule } from '../modules/detect-dfl.js';
import type { ModuleEntry } from '../modules/module-entry.js';
import { sppModule, type SppArgs } from '../modules/spp.js';
import { sppfModule, ultralyticsSppfModule, type SppfArgs } from '../modules/sppf.js';
import { upsampleModule } from '../modules/upsample.js';
import type { GraphRecorder } from './graph-recorder.js';
import type { ModuleGraph, ModuleGraphContext } from './module-graph.js';

const input = (context: ModuleGraphContext<unknown>): string => context.inputs[0] as string;

/** `BottleneckBlock` (its kernels are read from the weights): cv1, cv2, and the residual when shortcut and the block keeps its channels. */
function bottleneck(graph: GraphRecorder, prefix: string, x: string, shortcut: boolean, activation: Activation): string {
  const y = graph.convBnAct(`${prefix}.cv2`, graph.convBnAct(`${prefix}.cv1`, x, { activation }), { activation });
  const keeps = graph.convInputChannels(`${prefix}.cv1.conv.weight`) === graph.convOutputChannels(`${prefix}.cv2.conv.weight`);
  return shortcut && keeps ? graph.add(prefix, x, y) : y;
}

const conv: ModuleGraph<ConvArgs> = (context) => {
  const { args, activation } = context;
  const act = args.act === true ? activation : args.act === false ? IDENTITY : args.act;
  return context.graph.convBnAct(context.prefix, input(context), { stride: args.s, padding: args.p, dilation: args.d, activation: act });
};

const bottleneckLayer: ModuleGraph<BottleneckArgs> = ({ graph, prefix, args, activation, ...rest }) =>
  bottleneck(graph, prefix, rest.inputs[0] as string, args.shortcut, activation);

const c3: ModuleGraph<C3Args> = ({ graph, prefix, args, activation, repeats, inputs }) => {
  const x = inputs[0] as string;
  let a = graph.convBnAct(`${prefix}.cv1`, x, { activation });
  for (let j = 0; j < repeats; j++) a = bottleneck(graph, `${prefix}.m.${j}`, a, args.shortcut, activation);
  const b = graph.convBnAct(`${prefix}.cv2`, x, { activation });
  return graph.convBnAct(`${prefix}.cv3`, graph.concat(prefix, [a, b]), { activation });
};

const c2f: ModuleGraph<C2fArgs> = ({ graph, prefix, args, activation, repeats, inputs }) => {
  const y = graph.convBnAct(`${prefix}.cv1`, inputs[0] as string, { activation });
  // The second part is what m.0 reads: a pruned model's two parts may differ in size.
  const total = graph.convOutputChannels(`${prefix}.cv1.conv.weight`);
  const second = repeats > 0 ? graph.convInputChannels(`${prefix}.m.0.cv1.conv.weight`) : total / 2;
  const ys = graph.split(prefix, y, [total - second, second]);
  for (let j = 0; j < repeats; j++) ys.push(bottleneck(graph, `${prefix}.m.${j}`, ys[ys.length - 1] as string, args.shortcut, activation));
  return graph.convBnAct(`${prefix}.cv2`, graph.concat(prefix, ys), { activation });
};

function sppf(linearCv1: boolean): ModuleGraph<SppfArgs> {
  return ({ graph, prefix, args, activation, inputs }) => {
    const x = inputs[0] as string;
    const ys = [graph.convBnAct(`${prefix}.cv1`, x, { activation: linearCv1 ? IDENTITY : activation })];
    for (let i = 0; i < args.n; i++) ys.push(graph.maxPool(prefix, ys[i] as string, args.k));
    const y = graph.convBnAct(`${prefix}.cv2`, graph.concat(prefix, ys), { activation });
    const keeps = graph.convInputChannels(`${prefix}.cv1.conv.weight`) === graph.convOutputChannels(`${prefix}.cv2.conv.weight`);
    return args.shortcut && keeps ? graph.add(prefix, y, x) : y;
  };
}

const spp: ModuleGraph<SppArgs> = ({ graph, prefix, args, activation, inputs }) => {
  const y = graph.convBnAct(`${prefix}.cv1`, inputs[0] as string, { activation });
  const pooled = args.kernels.map((k) => graph.maxPool(prefix, y, k));
  return graph.convBnAct(`${prefix}.cv2`, graph.concat(prefix, [y, ...pooled]), { activation });
};

const concat: ModuleGraph<unknown> = ({ graph, prefix, inputs }) => graph.concat(prefix, inputs);

const upsample: ModuleGraph<{ readonly scale: number }> = ({ graph, prefix, args, inputs }) => graph.upsample(prefix, inputs[0] as string, args.scale);

/** Anchor-based Detect: a 1x1 conv with bias per level, `<prefix>.m.<i>`. */
const anchorDetect: ModuleGraph<unknown> = ({ graph, prefix, inputs }) => inputs.map((x, i) => graph.conv2d(`${prefix}.m.${i}`, x));

/** DFL Detect: per level the box branch `cv2.i` and the class branch `cv3.i`, joined (box bins, then class logits). */
const dflDetect: ModuleGraph<unknown> = ({ graph, prefix, inputs, activation }) =>
  inputs.map((x, i) => {
    const branch = (name: string) => graph.conv2d(`${name}.2`, graph.convBnAct(`${name}.1`, graph.convBnAct(`${name}.0`, x, { activation }), { activation }));
    return graph.concat(`${prefix}.level${i}`, [branch(`${prefix}.cv2.${i}`), branch(`${prefix}.cv3.${i}`)]);
  });

/** The built-in modules' descriptions; a module defined elsewhere brings its own (`ModuleDefinition.graph`). */
export const BUILTIN_MODULE_GRAPHS: ReadonlyMap<ModuleEntry, ModuleGraph<never>> = new Map<ModuleEntry, ModuleGraph<never>>([
  [convModule as ModuleEntry, conv],
  [bottleneckModule as ModuleEntry, bottleneckLayer],
  [ultralyticsBottleneckModule as ModuleEntry, bottleneckLayer],
  [c3Module as ModuleEntry, c3],
  [c2fModule as ModuleEntry, c2f],
  [sppfModule as ModuleEntry, sppf(false)],
  [ultralyticsSppfModule as ModuleEntry, sppf(true)],
  [sppModule as ModuleEntry, spp],
  [concatModule as ModuleEntry, concat],
  [upsampleModule as ModuleEntry, upsample],
  [detectModule as ModuleEntry, anchorDetect],
  [dflDetectModule as ModuleEntry, dflDetect],
]);
