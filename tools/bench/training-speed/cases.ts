import type { PipelineCase } from './pipelines.js';

/** One measured configuration: a child process per round. */
export type BenchCase =
  | { readonly name: string; readonly kind: 'probe'; readonly fused: boolean; readonly optimizer: 'flat' | 'tensor' }
  | { readonly name: string; readonly kind: 'pipeline'; readonly fused: boolean; readonly pipeline: PipelineCase }
  | { readonly name: string; readonly kind: 'pytorch'; readonly waitPolicy?: 'PASSIVE' };

export interface TeacherFile {
  readonly file: string;
  readonly head: readonly string[];
  readonly taps: Readonly<Record<string, string>>;
}

/**
 * The old path (autodiff Conv-BN-SiLU, tfjs-op optimiser), each new option alone, the new defaults;
 * the new defaults split over two data-parallel workers (`workers: 2`);
 * the distill step with the teacher inline (its session on the JS thread) and one batch ahead (in its
 * worker, with onnxruntime's default threads and with one); PyTorch on the probe (OpenMP threads
 * sleeping at barriers, and with their default wait policy).
 */
export function benchCases(teacher: TeacherFile): BenchCase[] {
  const distill = (thread: 'worker' | 'caller', threads?: number): PipelineCase => ({ kind: 'distill', optimizer: 'flat', teacher: { ...teacher, thread, ...(threads ? { threads } : {}) } });
  return [
    { name: 'probe.old', kind: 'probe', fused: false, optimizer: 'tensor' },
    { name: 'probe.fusedOnly', kind: 'probe', fused: true, optimizer: 'tensor' },
    { name: 'probe.flatOnly', kind: 'probe', fused: false, optimizer: 'flat' },
    { name: 'probe', kind: 'probe', fused: true, optimizer: 'flat' },
    { name: 'pytorch.probe', kind: 'pytorch', waitPolicy: 'PASSIVE' },
    { name: 'pytorch.probe.defaultWait', kind: 'pytorch' },
    { name: 'v5n.old', kind: 'pipeline', fused: false, pipeline: { kind: 'train', optimizer: 'tensor' } },
    { name: 'v5n.fusedOnly', kind: 'pipeline', fused: true, pipeline: { kind: 'train', optimizer: 'tensor' } },
    { name: 'v5n.flatOnly', kind: 'pipeline', fused: false, pipeline: { kind: 'train', optimizer: 'flat' } },
    { name: 'v5n', kind: 'pipeline', fused: true, pipeline: { kind: 'train', optimizer: 'flat' } },
    { name: 'v5n.workers2', kind: 'pipeline', fused: true, pipeline: { kind: 'train', optimizer: 'flat', workers: 2 } },
    { name: 'distill.inline', kind: 'pipeline', fused: true, pipeline: distill('caller') },
    { name: 'distill', kind: 'pipeline', fused: true, pipeline: distill('worker') },
    { name: 'distill.teacherThreads1', kind: 'pipeline', fused: true, pipeline: distill('worker', 1) },
  ];
}

/** Round `r`'s order: the list rotated by r, so that no case always runs first or after the same one. */
export function roundOrder<T>(cases: readonly T[], round: number): T[] {
  const shift = round % cases.length;
  return [...cases.slice(shift), ...cases.slice(0, shift)];
}
