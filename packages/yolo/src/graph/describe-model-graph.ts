import type { ModelGraph, NamedTensors } from '@yolo-distill/core';
import type { ModuleEntry } from '../modules/module-entry.js';
import type { LayerSpec, ModelSpec } from '../yaml/model-spec.js';
import { BUILTIN_MODULE_GRAPHS } from './builtin-module-graphs.js';
import { GraphRecorder } from './graph-recorder.js';
import type { ModuleGraphContext } from './module-graph.js';

/** The input tensor's name, as upstream exports call it. */
export const GRAPH_INPUT = 'images';

type Describe = (context: ModuleGraphContext<unknown>) => string | readonly string[];

function describerOf(module: ModuleEntry, layer: LayerSpec, modelName: string): Describe {
  if (module.graph) return (context) => (module.graph as Describe)(context);
  const builtin = BUILTIN_MODULE_GRAPHS.get(module) as Describe | undefined;
  if (builtin) return builtin;
  throw new Error(`${modelName}: ${layer.where}: ${layer.row}: the module ${module.name} has no graph description, so the model cannot be exported (give its ModuleDefinition a graph())`);
}

/**
 * The inference graph of a model built from a model YAML: each row described by its module (the
 * same structure as its tfjs forward), parameters named and shaped as `weights` holds them (state-dict
 * names, conv kernels HWIO). Taps as `YoloModel` names them: `layer.N`, `backbone.N`, `neck.k`.
 */
export function describeModelGraph(spec: ModelSpec, weights: NamedTensors, modelName: string): ModelGraph {
  const graph = new GraphRecorder(weights, modelName);
  const outputs: string[] = [];
  const taps: Record<string, string> = {};
  const inputsOf = (layer: LayerSpec) => layer.from.map((f) => (f === -1 ? GRAPH_INPUT : (outputs[f] as string)));
  const headLayer = spec.layers[spec.layers.length - 1];
  if (!headLayer || headLayer.module.role !== 'head') throw new Error(`${spec.file}: the last row must be a detection head`);
  for (const layer of spec.layers.slice(0, -1)) {
    const describe = describerOf(layer.module, layer, modelName);
    const copies = layer.module.repeat === 'stacked' && layer.repeats > 1 ? layer.repeats : 1;
    let inputs = inputsOf(layer);
    for (let j = 0; j < copies; j++) {
      const prefix = copies > 1 ? `model.${layer.index}.${j}` : `model.${layer.index}`;
      const out = describe({ prefix, args: layer.args, inputs, repeats: layer.module.repeat === 'internal' ? layer.repeats : 1, activation: spec.activation, graph });
      if (typeof out !== 'string') throw new Error(`${modelName}: ${layer.where}: ${layer.row}: ${layer.module.name} described a head, but it is not the last row`);
      inputs = [out];
    }
    outputs[layer.index] = inputs[0] as string;
    taps[`layer.${layer.index}`] = inputs[0] as string;
    if (layer.section === 'backbone') taps[`backbone.${layer.index}`] = inputs[0] as string;
  }
  headLayer.from.forEach((row, k) => (taps[`neck.${k}`] = row === -1 ? GRAPH_INPUT : (outputs[row] as string)));
  const head = describerOf(headLayer.module, headLayer, modelName)({
    prefix: `model.${headLayer.index}`,
    args: headLayer.args,
    inputs: inputsOf(headLayer),
    repeats: 1,
    activation: spec.activation,
    graph,
  });
  if (typeof head === 'string') throw new Error(`${modelName}: ${headLayer.where}: the head ${headLayer.module.name} described one map, not one per level`);
  return { input: GRAPH_INPUT, inputChannels: spec.inputChannels, ops: graph.ops, head: [...head], taps, weights: graph.weights() };
}
