import type { OnnxModelFile, OnnxNode } from '@yolo-distill/yolo';
import type { NpuProfile } from './npu-profiles.js';

export interface NpuViolation {
  /** The ONNX node (its name carries the layer's scope, `/model.3/conv/Conv`). */
  readonly node: string;
  readonly rule: 'alignment' | 'op' | 'static-shape' | 'kernel' | 'stride' | 'pool';
  readonly problem: string;
  readonly fix: string;
}

export interface NpuReport {
  readonly profile: string;
  readonly convs: number;
  readonly violations: readonly NpuViolation[];
}

const roundUp = (n: number, k: number) => Math.ceil(n / k) * k;

/** Every way the model misses the profile, per layer, each with what to do about it. */
export function checkNpu(model: OnnxModelFile, profile: NpuProfile): NpuReport {
  const violations: NpuViolation[] = [];
  const a = profile.channelAlignment;
  const graphInputs = new Set(model.inputs.map((i) => i.name));
  for (const input of model.inputs) {
    if (!input.dims || input.dims.some((d) => typeof d !== 'number')) {
      violations.push({ node: `input ${input.name}`, rule: 'static-shape', problem: `dims [${input.dims?.join(', ') ?? 'unknown'}] are not static`, fix: 'export without --dynamic: NPU compilers need fixed shapes' });
    }
  }
  let convs = 0;
  const unsupported = new Map<string, OnnxNode[]>();
  for (const node of model.nodes) {
    if (!profile.ops.has(node.opType)) unsupported.set(node.opType, [...(unsupported.get(node.opType) ?? []), node]);
    if (node.opType === 'MaxPool' && profile.maxPoolKernel !== undefined) {
      const k = Math.max(...numbers(node.attributes['kernel_shape']));
      if (k > profile.maxPoolKernel) violations.push({ node: node.name, rule: 'pool', problem: `MaxPool ${k}x${k} exceeds ${profile.maxPoolKernel}x${profile.maxPoolKernel}`, fix: `replace SPPF's ${k}x${k} pool by stacked ${profile.maxPoolKernel}x${profile.maxPoolKernel} or smaller pools` });
    }
    if (node.opType !== 'Conv') continue;
    convs++;
    const weight = model.initializer(node.inputs[1] ?? '');
    if (!weight) continue;
    const group = typeof node.attributes['group'] === 'number' ? node.attributes['group'] : 1;
    const [cout = 0, cinPerGroup = 0, kh = 1, kw = 1] = weight.dims;
    const cin = cinPerGroup * group;
    if (cout % a !== 0) {
      violations.push({ node: node.name, rule: 'alignment', problem: `${cout} output channels, not a multiple of ${a}`, fix: `prune with roundTo: ${a} (or widen to ${roundUp(cout, a)}); a head conv's ${cout} = anchors x (5 + classes) or bins: pad the class count` });
    }
    if (!graphInputs.has(node.inputs[0] ?? '') && cin % a !== 0) {
      violations.push({ node: node.name, rule: 'alignment', problem: `${cin} input channels, not a multiple of ${a}`, fix: `align the layer feeding it (prune with roundTo: ${a}, or widen to ${roundUp(cin, a)})` });
    }
    if (profile.maxKernel !== undefined && Math.max(kh, kw) > profile.maxKernel) {
      violations.push({ node: node.name, rule: 'kernel', problem: `kernel ${kh}x${kw} exceeds ${profile.maxKernel}`, fix: `use a kernel of at most ${profile.maxKernel} (YOLOv5's 6x6 stem: a Focus/space-to-depth stem or two 3x3 convs)` });
    }
    const strides = numbers(node.attributes['strides']);
    if (profile.strides && strides.some((s) => !profile.strides?.includes(s))) {
      violations.push({ node: node.name, rule: 'stride', problem: `strides [${strides.join(', ')}]; the NPU takes ${profile.strides.join(' or ')}`, fix: 'use stride 1 or 2 and downsample in steps' });
    }
  }
  for (const [op, nodes] of unsupported) {
    const decode = nodes.every((n) => /Detect|\/model\.\d+\/(Reshape|Transpose|Split|Concat|Sigmoid|Mul|Add|Pow|Softmax|Sub|Div)|dfl/.test(n.name));
    for (const node of nodes) {
      violations.push({
        node: node.name,
        rule: 'op',
        problem: `op ${op} is not in the ${profile.name} profile's op list`,
        fix: decode ? 'keep the decode (and DFL) outside the graph: export with --raw and decode on the CPU' : `replace ${op} by supported ops, or let that layer run on the CPU`,
      });
    }
  }
  return { profile: profile.name, convs, violations };
}

function numbers(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
}

/** One line per violation, then a summary line. */
export function formatNpuReport(report: NpuReport): string {
  const lines = report.violations.map((v) => `  ${v.node}: ${v.problem} -> ${v.fix}`);
  const summary = report.violations.length === 0 ? `${report.profile}: all ${report.convs} conv(s) and every op fit` : `${report.profile}: ${report.violations.length} violation(s) in ${new Set(report.violations.map((v) => v.node)).size} layer(s)`;
  return `${[summary, ...lines].join('\n')}\n`;
}
