// Finding the Detect head of an Ultralytics ONNX export by the names its exporter keeps.
import type { OnnxModelFile, OnnxNode } from '../onnx/onnx-model.js';
import type { DetectHeadLayout, DetectLevel } from './detect-head-layout.js';
import { readExportedAnchors } from './exported-anchors.js';
import { anchorBasedClasses } from './head-classes.js';

/** A head conv recognised by its weight initializer name, else by its node name (`[layer, level]`). */
interface ConvPattern {
  readonly weight: RegExp;
  readonly node: RegExp;
}

const ANCHOR_CONV: ConvPattern = { weight: /^model\.(\d+)\.m\.(\d+)\.weight$/, node: /^\/model\.(\d+)\/m\.(\d+)\/Conv$/ };
const BOX_CONV: ConvPattern = { weight: /^model\.(\d+)\.cv2\.(\d+)\.2\.weight$/, node: /^\/model\.(\d+)\/cv2\.(\d+)\/cv2\.\d+\.2\/Conv$/ };
const CLASS_CONV: ConvPattern = { weight: /^model\.(\d+)\.cv3\.(\d+)\.2\.weight$/, node: /^\/model\.(\d+)\/cv3\.(\d+)\/cv3\.\d+\.2\/Conv$/ };

/** What the search looks for, and what to write instead when it finds nothing. */
export const DETECT_HEAD_HINT =
  "looked for the head's output convs by the names Ultralytics exports keep: anchor-based (v3/v5/v7) initializers " +
  "'model.<N>.m.<i>.weight' or nodes '/model.<N>/m.<i>/Conv'; anchor-free (v8/v11) 'model.<N>.cv2.<i>.2.weight' with " +
  "'model.<N>.cv3.<i>.2.weight' or nodes '/model.<N>/cv2.<i>/cv2.<i>.2/Conv' with '/model.<N>/cv3.<i>/cv3.<i>.2/Conv'. " +
  'An export whose names were stripped or rewritten (simplified, converted) has none of them: name the tensors in the ' +
  "teacher's config instead, head: [<raw head conv output of each level>] (anchor-free: [[<box conv output>, <class conv output>], ...]), " +
  'taps: { neck.0: <P3 tensor>, neck.1: <P4 tensor>, neck.2: <P5 tensor> } and classes: <n>';

/**
 * The Detect head of an Ultralytics ONNX export: per level the conv(s) whose outputs are the raw head
 * maps and the tensor entering them (P3..P5); head kind, class count, anchors per level or DFL bins
 * read from the conv weights. `classes`, when given, must agree with the graph (and tells the class
 * count of an anchor-based head whose file carries no `names` metadata). Throws, naming the file,
 * when no head is recognisable.
 */
export function findDetectHead(model: OnnxModelFile, classes?: number): DetectHeadLayout {
  const convs = model.nodes.filter((node) => node.opType === 'Conv' && node.domain === '');
  const anchorBased = lastLayer(groupConvs(convs, ANCHOR_CONV));
  const boxes = groupConvs(convs, BOX_CONV);
  const classConvs = groupConvs(convs, CLASS_CONV);
  const anchorFree = lastLayer(new Map([...boxes].filter(([layer]) => classConvs.has(layer))));
  if (anchorFree && (!anchorBased || anchorFree[0] > anchorBased[0])) {
    const [layer, box] = anchorFree;
    return anchorFreeHead(model, layer, levelsOf(model, layer, box, 'cv2'), levelsOf(model, layer, classConvs.get(layer) ?? new Map(), 'cv3'), classes);
  }
  if (anchorBased) {
    const [layer, byLevel] = anchorBased;
    return anchorBasedHead(model, layer, levelsOf(model, layer, byLevel, 'm'), classes);
  }
  throw new Error(`${model.source}: no YOLO Detect head found; ${DETECT_HEAD_HINT}`);
}

function anchorBasedHead(model: OnnxModelFile, layer: number, convs: readonly OnnxNode[], classes: number | undefined): DetectHeadLayout {
  const graph = new GraphView(model);
  const channels = convs.map((conv) => outputChannels(model, conv));
  const first = channels[0] as number;
  if (channels.some((count) => count !== first)) {
    throw new Error(`${model.source}: the Detect convs of model.${layer} differ in output channels (${channels.join(', ')}); every level needs na * (5 + nc)`);
  }
  const { numClasses, anchorsPerLevel } = anchorBasedClasses(model, `model.${layer}`, first, classes);
  const levels: DetectLevel[] = convs.map((conv) => ({ feature: graph.beforeConstantAdd(conv.inputs[0] as string), outputs: [graph.afterConstantMul(conv.outputs[0] as string)] }));
  const decode = readExportedAnchors(model, levels.map((level) => level.outputs[0] as string), anchorsPerLevel);
  return { kind: 'anchor-based', origin: `model.${layer}`, numClasses, anchorsPerLevel, ...decode, levels };
}

function anchorFreeHead(model: OnnxModelFile, layer: number, boxes: readonly OnnxNode[], classConvs: readonly OnnxNode[], classes: number | undefined): DetectHeadLayout {
  if (boxes.length !== classConvs.length) {
    throw new Error(`${model.source}: the Detect of model.${layer} has ${boxes.length} box branch(es) (cv2) but ${classConvs.length} class branch(es) (cv3)`);
  }
  const graph = new GraphView(model);
  const boxChannels = new Set(boxes.map((conv) => outputChannels(model, conv)));
  const classChannels = new Set(classConvs.map((conv) => outputChannels(model, conv)));
  const [box] = boxChannels;
  const [numClasses] = classChannels;
  if (boxChannels.size !== 1 || box === undefined || box % 4 !== 0) {
    throw new Error(`${model.source}: the box convs of model.${layer} (cv2.<i>.2) have ${[...boxChannels].join(', ')} output channels; expected one count, 4 * reg_max`);
  }
  if (classChannels.size !== 1 || numClasses === undefined) {
    throw new Error(`${model.source}: the class convs of model.${layer} (cv3.<i>.2) differ in output channels (${[...classChannels].join(', ')})`);
  }
  if (classes !== undefined && classes !== numClasses) {
    throw new Error(`${model.source}: 'classes' is ${classes} but the class convs of model.${layer} have ${numClasses} channels`);
  }
  const levels = boxes.map((boxConv, i) => {
    const classConv = classConvs[i] as OnnxNode;
    const feature = graph.splitPoint(boxConv.inputs[0] as string, classConv.inputs[0] as string);
    if (feature === undefined) throw new Error(`${model.source}: the box and class branches of level ${i} of model.${layer} share no input`);
    return { feature, outputs: [boxConv.outputs[0] as string, classConv.outputs[0] as string] };
  });
  return { kind: 'anchor-free', origin: `model.${layer}`, numClasses, regMax: box / 4, levels };
}

/** Head convs by Detect layer, then by level. */
function groupConvs(convs: readonly OnnxNode[], pattern: ConvPattern): Map<number, Map<number, OnnxNode>> {
  const layers = new Map<number, Map<number, OnnxNode>>();
  for (const conv of convs) {
    const match = pattern.weight.exec(conv.inputs[1] ?? '') ?? pattern.node.exec(conv.name);
    if (!match) continue;
    const layer = Number(match[1]);
    const levels = layers.get(layer) ?? new Map<number, OnnxNode>();
    levels.set(Number(match[2]), conv);
    layers.set(layer, levels);
  }
  return layers;
}

/** The Detect layer with the highest index (the model's output head). */
function lastLayer<T>(layers: Map<number, T>): [number, T] | undefined {
  const last = Math.max(...layers.keys());
  return layers.has(last) ? [last, layers.get(last) as T] : undefined;
}

/** The convs of levels 0..k-1 in order; a gap is an error. */
function levelsOf(model: OnnxModelFile, layer: number, byLevel: Map<number, OnnxNode>, branch: string): OnnxNode[] {
  const count = Math.max(...byLevel.keys()) + 1;
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byLevel.has(i));
  if (missing.length > 0) throw new Error(`${model.source}: the Detect of model.${layer} has no ${branch}.${missing.join(`, ${branch}.`)} conv (found ${[...byLevel.keys()].sort().map((i) => `${branch}.${i}`).join(', ')})`);
  return Array.from({ length: count }, (_, i) => byLevel.get(i) as OnnxNode);
}

function outputChannels(model: OnnxModelFile, conv: OnnxNode): number {
  const weight = model.initializer(conv.inputs[1] ?? '');
  if (!weight || weight.dims.length !== 4) throw new Error(`${model.source}: cannot read the weight of the head conv '${conv.name}' (${conv.inputs[1] ?? 'none'})`);
  return weight.dims[0] as number;
}

/** Walks the graph around the head convs. */
class GraphView {
  private readonly consumers = new Map<string, OnnxNode[]>();

  constructor(private readonly model: OnnxModelFile) {
    for (const node of model.nodes) {
      for (const input of node.inputs) if (input) this.consumers.set(input, [...(this.consumers.get(input) ?? []), node]);
    }
  }

  private isConstant(tensor: string): boolean {
    return this.model.initializer(tensor) !== undefined;
  }

  /** yolov7's unfused IDetect adds ImplicitA (a constant) before the conv: the feature is the other addend. */
  beforeConstantAdd(tensor: string): string {
    const producer = this.model.producerOf(tensor);
    if (producer?.opType !== 'Add' || producer.inputs.length !== 2) return tensor;
    const variable = producer.inputs.filter((input) => !this.isConstant(input));
    return variable.length === 1 ? (variable[0] as string) : tensor;
  }

  /** ...and multiplies by ImplicitM (a constant) after it: the raw head map is the product. */
  afterConstantMul(tensor: string): string {
    const users = this.consumers.get(tensor) ?? [];
    const user = users[0];
    if (users.length !== 1 || user?.opType !== 'Mul' || user.inputs.length !== 2) return tensor;
    const other = user.inputs.find((input) => input !== tensor);
    return other !== undefined && this.isConstant(other) ? (user.outputs[0] as string) : tensor;
  }

  /** The nearest tensor both `a` and `b` are computed from: where the box and class branches split. */
  splitPoint(a: string, b: string): string | undefined {
    const fromB = new Set(this.ancestors(b));
    return this.ancestors(a).find((tensor) => fromB.has(tensor));
  }

  /** `tensor` and every non-constant tensor it is computed from, nearest first. */
  private ancestors(tensor: string): string[] {
    const order = [tensor];
    const seen = new Set(order);
    for (let i = 0; i < order.length; i++) {
      for (const input of this.model.producerOf(order[i] as string)?.inputs ?? []) {
        if (!input || seen.has(input) || this.isConstant(input)) continue;
        seen.add(input);
        order.push(input);
      }
    }
    return order;
  }
}
