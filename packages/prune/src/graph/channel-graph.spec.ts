import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import type { GraphConv, GraphOp, ModelGraph } from '@yolo-distill/core';
import { buildChannelGraph } from './channel-graph.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

const conv = (scope: string, input: string, output: string): GraphConv => ({
  op: 'conv',
  scope,
  input,
  output,
  weight: `${scope}.weight`,
  stride: 1,
  padding: 0,
  dilation: 1,
  groups: 1,
  activation: { kind: 'silu' },
});

/**
 * A hand-made graph: a (3 -> 4), split into a[0:1] and a[1:4]; b (3 -> 3) on the second part, added to it
 * (a residual); concat [a0, sum, pooled sum] -> head conv h (7 -> 2), the head map.
 */
function handGraph(): ModelGraph {
  const shapes: Record<string, number[]> = { 'a.weight': [1, 1, 3, 4], 'b.weight': [1, 1, 3, 3], 'h.weight': [1, 1, 7, 2] };
  const ops: GraphOp[] = [
    conv('a', 'images', 'ya'),
    { op: 'split', scope: 's', input: 'ya', outputs: ['a0', 'a1'], channels: [1, 3] },
    conv('b', 'a1', 'yb'),
    { op: 'add', scope: 'r', inputs: ['a1', 'yb'], output: 'sum' },
    { op: 'maxPool', scope: 'p', input: 'sum', output: 'pooled', kernel: 3, stride: 1, padding: 1 },
    { op: 'concat', scope: 'c', inputs: ['a0', 'sum', 'pooled'], output: 'cat' },
    conv('h', 'cat', 'head'),
  ];
  return { input: 'images', inputChannels: 3, ops, head: ['head'], taps: {}, weights: Object.fromEntries(Object.entries(shapes).map(([n, s]) => [n, tf.zeros(s)])) };
}

describe('buildChannelGraph', () => {
  it('couples a residual index by index, follows a split and a concat at their offsets, and keeps the head output', () => {
    const channels = buildChannelGraph(handGraph(), () => false);
    const byName = new Map(channels.groups.map((g) => [g.name, g]));
    expect([...byName.keys()].sort()).toEqual(['a', 'a+b', 'h']);
    // a's first channel alone (the split's first part), channels 1..3 of a with 0..2 of b (the add).
    const single = byName.get('a')!;
    expect(single.units.map((u) => u.producers.map((p) => `${p.conv.scope}:${p.channel}`))).toEqual([['a:0']]);
    const coupled = byName.get('a+b')!;
    expect(coupled.units.map((u) => u.producers.map((p) => `${p.conv.scope}:${p.channel}`))).toEqual([
      ['a:1', 'b:0'],
      ['a:2', 'b:1'],
      ['a:3', 'b:2'],
    ]);
    // Consumers: b reads positions 0..2 of a[1:4]; h reads the concat [a0 | sum (3) | pooled sum (3)].
    expect(coupled.units[1]!.consumers.map((c) => `${c.conv.scope}@${c.position}`)).toEqual(['b@1', 'h@2', 'h@5']);
    expect(single.units[0]!.consumers.map((c) => `${c.conv.scope}@${c.position}`)).toEqual(['h@0']);
    expect(channels.inputUnits.get('a.weight')).toEqual([-1, -1, -1]);
    expect(byName.get('h')!.fixed).toBe('feeds a head output or the image');
    expect(single.fixed).toBeUndefined();
    expect(coupled.fixed).toBeUndefined();
  });

  it('keeps the groups of ignored convs whole, naming them', () => {
    const channels = buildChannelGraph(handGraph(), (c) => c.scope === 'b');
    const coupled = channels.groups.find((g) => g.name === 'a+b')!;
    expect(coupled.fixed).toBe('ignored (b)');
    expect(channels.groups.find((g) => g.name === 'a')!.fixed).toBeUndefined();
  });

  it('names the op that reads a tensor nothing wrote', () => {
    const graph = handGraph();
    const broken = { ...graph, ops: graph.ops.filter((op) => op.scope !== 'b') };
    expect(() => buildChannelGraph(broken, () => false)).toThrow(/prune: r reads 'yb', which no earlier op of the graph writes/);
  });
});
