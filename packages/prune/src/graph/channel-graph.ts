import type { GraphConv, ModelGraph } from '@yolo-distill/core';

/** One input position of a conv: the conv reads channel `position` of its input map. */
export interface ConsumerSlot {
  readonly conv: GraphConv;
  readonly position: number;
}

/**
 * A set of channels that must be removed together: one output channel of each producer conv (coupled
 * through residual adds) and every conv input position that reads it (through concats at their offsets,
 * C2f's split, SPPF's pooled copies, upsampling).
 */
export interface ChannelUnit {
  readonly id: number;
  /** Producer conv and its output channel, one per conv of the group. */
  readonly producers: readonly { readonly conv: GraphConv; readonly channel: number }[];
  readonly consumers: readonly ConsumerSlot[];
}

/** Convs whose output channels are coupled index by index; pruning removes the same units from all of them. */
export interface ChannelGroup {
  /** The producer convs' scopes joined with `+` (`model.2.cv1+model.2.m.0.cv2`). */
  readonly name: string;
  readonly convs: readonly GraphConv[];
  /** The units in output-channel order of the first conv. */
  readonly units: readonly ChannelUnit[];
  /** Why the group cannot be pruned (a head output, an ignored conv, the image), or undefined. */
  readonly fixed: string | undefined;
}

/** The channel dependency graph of a model: every conv's output channels in groups, and which input positions each unit feeds. */
export interface ChannelGraph {
  readonly graph: ModelGraph;
  readonly groups: readonly ChannelGroup[];
  readonly convs: readonly GraphConv[];
  /** For each conv (by weight name), the unit read at each input position (-1: an image channel, never pruned). */
  readonly inputUnits: ReadonlyMap<string, readonly number[]>;
  /** For each conv (by weight name), the unit of each output channel. */
  readonly outputUnits: ReadonlyMap<string, readonly number[]>;
}

class UnionFind {
  private readonly parent: number[] = [];
  make(): number {
    this.parent.push(this.parent.length);
    return this.parent.length - 1;
  }
  find(x: number): number {
    let root = x;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    while (this.parent[x] !== root) {
      const next = this.parent[x] as number;
      this.parent[x] = root;
      x = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

const IMAGE = -1;

/**
 * Builds the channel groups from the model's own graph description (`DetectionModel.graph()`: convs with
 * their BatchNorm, adds, concats, splits, pools, upsampling; no tracing). Each tensor is a list of channel
 * ids; a conv makes new ids, an add unites the ids of its two inputs position by position, a concat joins
 * lists, a split cuts them, pools and upsampling keep them. Ids that share a root form one unit.
 *
 * `isIgnored(conv)`: convs whose output channels are kept (the Detect convs by default). Channels reaching
 * a head map, or tied to the image's channels, are kept too.
 */
export function buildChannelGraph(graph: ModelGraph, isIgnored: (conv: GraphConv) => boolean): ChannelGraph {
  const uf = new UnionFind();
  const tensors = new Map<string, number[]>();
  const imageIds = Array.from({ length: graph.inputChannels }, () => uf.make());
  tensors.set(graph.input, imageIds);
  const producerOf = new Map<number, { conv: GraphConv; channel: number }>();
  const convs: GraphConv[] = [];
  const inputIds = new Map<string, number[]>();
  const outputIds = new Map<string, number[]>();
  const read = (name: string, scope: string): number[] => {
    const ids = tensors.get(name);
    if (!ids) throw new Error(`prune: ${scope} reads '${name}', which no earlier op of the graph writes`);
    return ids;
  };
  const fixedIds = new Set<number>(imageIds);

  for (const op of graph.ops) {
    switch (op.op) {
      case 'conv': {
        const kernel = graph.weights[op.weight];
        if (!kernel || kernel.shape.length !== 4) throw new Error(`prune: ${op.scope}: kernel ${op.weight} is missing from the graph's weights`);
        const input = read(op.input, op.scope);
        const cout = kernel.shape[3] as number;
        if (op.groups !== 1) {
          // A grouped conv ties its channels to its input's; kept whole (the YOLO modules here are ungrouped).
          input.forEach((id) => fixedIds.add(id));
        }
        const ids = Array.from({ length: cout }, (_, channel) => {
          const id = uf.make();
          producerOf.set(id, { conv: op, channel });
          if (op.groups !== 1) fixedIds.add(id);
          return id;
        });
        if (isIgnored(op)) ids.forEach((id) => fixedIds.add(id));
        convs.push(op);
        inputIds.set(op.weight, input);
        outputIds.set(op.weight, ids);
        tensors.set(op.output, ids);
        break;
      }
      case 'add': {
        const [a, b] = op.inputs.map((name) => read(name, op.scope)) as [number[], number[]];
        if (a.length !== b.length) throw new Error(`prune: ${op.scope}: an add of ${a.length} and ${b.length} channels`);
        a.forEach((id, i) => uf.union(id, b[i] as number));
        tensors.set(op.output, a);
        break;
      }
      case 'concat':
        tensors.set(op.output, op.inputs.flatMap((name) => read(name, op.scope)));
        break;
      case 'split': {
        const ids = read(op.input, op.scope);
        let offset = 0;
        op.outputs.forEach((name, i) => {
          const size = op.channels[i] as number;
          tensors.set(name, ids.slice(offset, offset + size));
          offset += size;
        });
        if (offset !== ids.length) throw new Error(`prune: ${op.scope}: a split into ${op.channels.join(' + ')} of ${ids.length} channels`);
        break;
      }
      case 'maxPool':
      case 'upsample':
        tensors.set(op.output, read(op.input, op.scope));
        break;
    }
  }
  for (const name of graph.head) read(name, 'the head').forEach((id) => fixedIds.add(id));

  // Units by root: producers and consumers.
  const rootOf = (id: number) => uf.find(id);
  const fixedRoots = new Set([...fixedIds].map(rootOf));
  const unitProducers = new Map<number, { conv: GraphConv; channel: number }[]>();
  for (const [id, producer] of producerOf) {
    const root = rootOf(id);
    const list = unitProducers.get(root) ?? [];
    list.push(producer);
    unitProducers.set(root, list);
  }
  const unitConsumers = new Map<number, ConsumerSlot[]>();
  for (const conv of convs) {
    (inputIds.get(conv.weight) as number[]).forEach((id, position) => {
      const root = rootOf(id);
      const list = unitConsumers.get(root) ?? [];
      list.push({ conv, position });
      unitConsumers.set(root, list);
    });
  }

  // Groups: units with the same producer convs, coupled index-wise; anything else is kept whole.
  const byProducers = new Map<string, number[]>();
  for (const [root, producers] of unitProducers) {
    const key = producers.map((p) => p.conv.weight).join('|');
    const list = byProducers.get(key) ?? [];
    list.push(root);
    byProducers.set(key, list);
  }
  const unitIds = new Map<number, number>();
  const groups: ChannelGroup[] = [];
  let nextUnit = 0;
  for (const roots of byProducers.values()) {
    const first = unitProducers.get(roots[0] as number) as { conv: GraphConv; channel: number }[];
    const groupConvs = first.map((p) => p.conv);
    roots.sort((a, b) => (unitProducers.get(a)?.[0]?.channel ?? 0) - (unitProducers.get(b)?.[0]?.channel ?? 0));
    const units = roots.map((root) => {
      const id = nextUnit++;
      unitIds.set(root, id);
      return { id, producers: unitProducers.get(root) ?? [], consumers: unitConsumers.get(root) ?? [] };
    });
    const name = groupConvs.map((conv) => conv.scope).join('+');
    // A conv may feed several groups (C2f's cv1: its two halves); within a group each unit holds one channel of each conv.
    const oneEach = units.every((u) => u.producers.length === groupConvs.length && new Set(u.producers.map((p) => p.conv)).size === groupConvs.length);
    let fixed: string | undefined;
    if (roots.some((root) => fixedRoots.has(root))) fixed = fixedReason(groupConvs, isIgnored, roots, fixedRoots);
    else if (!oneEach) fixed = 'channels coupled unevenly across its convs';
    groups.push({ name, convs: groupConvs, units, fixed });
  }
  const unitOf = (id: number) => unitIds.get(rootOf(id)) ?? IMAGE;
  return {
    graph,
    groups,
    convs,
    inputUnits: new Map([...inputIds].map(([name, ids]) => [name, ids.map(unitOf)])),
    outputUnits: new Map([...outputIds].map(([name, ids]) => [name, ids.map(unitOf)])),
  };
}

function fixedReason(convs: readonly GraphConv[], isIgnored: (conv: GraphConv) => boolean, roots: readonly number[], fixedRoots: ReadonlySet<number>): string {
  const ignored = convs.filter(isIgnored);
  if (ignored.length > 0) return `ignored (${ignored.map((c) => c.scope).join(', ')})`;
  return roots.every((root) => fixedRoots.has(root)) ? 'feeds a head output or the image' : 'partly tied to kept channels';
}
