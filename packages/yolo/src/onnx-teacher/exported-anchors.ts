// Anchors and strides of an anchor-based head, read from the decode its export carries.
import type { OnnxModelFile, OnnxNode } from '../onnx/onnx-model.js';

export interface ExportedAnchors {
  /** Per level, per anchor: `[w, h]` in input pixels. */
  readonly anchors: readonly (readonly [number, number])[][];
  readonly strides: readonly number[];
}

/** How far past the raw head conv the decode of one level is looked for. */
const SEARCH_LIMIT = 40;

/**
 * yolov5/yolov3 exports (and yolov7's with `--grid`) decode in the graph: per level
 * `xy = (y * 2 + grid') * stride` and `wh = (y * 2) ** 2 * anchor_grid`, with `grid'` and `anchor_grid`
 * constants `[1, na, ny, nx, 2]` and `stride` a scalar. Reads the anchors (pixels) and strides from
 * those constants; undefined when a level has no such decode (raw exports like yolov7's default).
 */
export function readExportedAnchors(model: OnnxModelFile, rawOutputs: readonly string[], anchorsPerLevel: number): ExportedAnchors | undefined {
  const consumers = new Map<string, OnnxNode[]>();
  for (const node of model.nodes) for (const input of node.inputs) if (input) consumers.set(input, [...(consumers.get(input) ?? []), node]);
  const constant = (node: OnnxNode) => node.inputs.map((input) => model.initializer(input)).find((value) => value !== undefined);
  const anchors: [number, number][][] = [];
  const strides: number[] = [];
  for (const raw of rawOutputs) {
    const nodes = downstream(raw, consumers);
    const anchorMul = nodes.find((node) => node.opType === 'Mul' && model.producerOf(otherInput(node, model) ?? '')?.opType === 'Pow' && isAnchorGrid(constant(node)?.dims, anchorsPerLevel));
    const gridAdd = nodes.find((node) => node.opType === 'Add' && isAnchorGrid(constant(node)?.dims, anchorsPerLevel));
    const strideMul = (consumers.get(gridAdd?.outputs[0] ?? '') ?? []).find((node) => node.opType === 'Mul' && constant(node)?.data.length === 1);
    const grid = anchorMul && constant(anchorMul);
    const stride = strideMul && constant(strideMul)?.data[0];
    if (!grid || stride === undefined || !(stride > 0)) return undefined;
    const cells = (grid.dims[2] as number) * (grid.dims[3] as number);
    anchors.push(Array.from({ length: anchorsPerLevel }, (_, a) => [grid.data[a * cells * 2] as number, grid.data[a * cells * 2 + 1] as number]));
    strides.push(stride);
  }
  return { anchors, strides };
}

function isAnchorGrid(dims: readonly number[] | undefined, anchorsPerLevel: number): boolean {
  return dims?.length === 5 && dims[1] === anchorsPerLevel && dims[4] === 2;
}

/** The input of a two-input node that is not a constant. */
function otherInput(node: OnnxNode, model: OnnxModelFile): string | undefined {
  return node.inputs.find((input) => model.initializer(input) === undefined);
}

/** Nodes computed from `tensor`, nearest first, up to {@link SEARCH_LIMIT}. */
function downstream(tensor: string, consumers: ReadonlyMap<string, OnnxNode[]>): OnnxNode[] {
  const found: OnnxNode[] = [];
  const tensors = [tensor];
  const seen = new Set<OnnxNode>();
  for (let i = 0; i < tensors.length && found.length < SEARCH_LIMIT; i++) {
    for (const node of consumers.get(tensors[i] as string) ?? []) {
      if (seen.has(node)) continue;
      seen.add(node);
      found.push(node);
      tensors.push(...node.outputs.filter((output) => output));
    }
  }
  return found;
}
