// A head named tensor by tensor in the config, for exports whose Detect cannot be found by name.
import type { DetectHeadLayout } from './detect-head-layout.js';

/** Raw head tensors per level: anchor-based one conv output each; anchor-free `[box conv output, class conv output]` each. */
export type NamedHeadTensors = readonly string[] | readonly (readonly [string, string])[];

/** The layout of a head given by tensor names; anchors per level or DFL bins follow from the channels at run time. */
export function namedHead(tensors: NamedHeadTensors, numClasses: number): DetectHeadLayout {
  const levels = tensors.map((entry: string | readonly [string, string]) => ({ outputs: typeof entry === 'string' ? [entry] : [...entry] }));
  const kind = typeof tensors[0] === 'string' ? 'anchor-based' : 'anchor-free';
  return { kind, origin: 'config', numClasses, levels };
}
