/**
 * The training-speed benchmark (`npm run bench`; writes docs/benchmarks/backend.json with `--out`):
 * the probe net's step and the real YOLOv5n's step (native loss) on the old path, with each new option
 * and with the new defaults; PyTorch on the same probe net; the distill step (YOLOv5s-shaped ONNX
 * teacher, YOLOv5n student) with the teacher inline and one batch ahead; kernel calls per step; the
 * conv kernel table; the load average around every sample. Every case runs in its own process,
 * interleaved over rounds in rotating order (the machine may be busy: the load is in the JSON).
 *   BENCH_ROUNDS (3), BENCH_STEPS (5 timed steps per case and round, after 2 warm-up steps), BENCH_FALLBACK=1
 */
// An entry point: load reflect-metadata before anything that uses tsyringe.
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { YOLOV5N_PROBE, YOLOV5N_PROBE_OUTPUTS } from '@yolo-distill/backend/probe-net';
import { benchCases, roundOrder, type BenchCase, type TeacherFile } from './cases.js';
import { parseResult } from './child-output.js';
import { BATCH, CLASSES, IMAGE_SIZE } from './pipelines.js';
import { probeOnnx } from './probe-onnx.js';
import { timePytorch } from './pytorch.js';
import { median } from './stats.js';
import { round } from './timing.js';

interface Samples {
  readonly stepMs: number[];
  readonly loopStepMs?: number[];
  readonly kernelCalls?: number[];
  readonly teacherWaitMs?: number[];
  readonly teacherLog?: string | null;
  readonly loadavg?: { readonly before: number[]; readonly after: number[] };
}

const here = import.meta.dirname;
const root = resolve(here, '../../..');
const args = process.argv.slice(2);
const outFile = args.includes('--out') ? resolve(args[args.indexOf('--out') + 1] as string) : undefined;
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const steps = Number(process.env['BENCH_STEPS'] ?? 5);
const WARMUP = 2;

function child<T>(script: string, argv: readonly string[], env: Record<string, string> = {}): T {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@yolo-distill/source', join(here, script), ...argv], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.base.json'), ...env },
  });
  const result = run.status === 0 ? parseResult<T>(run.stdout) : undefined;
  if (!result) throw new Error(`${script} ${argv.join(' ')} failed (exit ${run.status}):\n${run.stderr.split('\n').slice(-20).join('\n')}`);
  return result;
}

const cache = join(root, 'datasets', 'bench-training-speed');
mkdirSync(cache, { recursive: true });
const runs = mkdtempSync(join(tmpdir(), 'yd-bench-speed-'));
const onnx = probeOnnx(YOLOV5N_PROBE, YOLOV5N_PROBE_OUTPUTS, { width: 2, classes: CLASSES, anchors: 3, size: IMAGE_SIZE, seed: 1 });
const teacher: TeacherFile = { file: join(cache, 'yolov5s-shaped.onnx'), head: onnx.head, taps: onnx.taps };
writeFileSync(teacher.file, onnx.bytes);
const data = join(cache, `shapes-${IMAGE_SIZE}`);
const started = { date: new Date().toISOString(), loadavg: loadavg() };

let counter = 0;
let pytorchVersion: { python: string; torch: string; threads: number } | undefined;
function measure(c: BenchCase): Samples | { skipped: string } {
  if (c.kind === 'pytorch') {
    const before = loadavg();
    const result = timePytorch({ layers: YOLOV5N_PROBE, outputs: YOLOV5N_PROBE_OUTPUTS, batch: BATCH, size: IMAGE_SIZE, threads: cpus().length, steps }, c.waitPolicy);
    if ('skipped' in result) return result;
    pytorchVersion = { python: result.python, torch: result.torch, threads: result.threads };
    return { stepMs: [...result.stepMs].map((ms) => round(ms)), loadavg: { before, after: loadavg() } };
  }
  const env = { YOLO_DISTILL_FUSED_CONV_BN: c.fused ? '1' : '0' };
  if (c.kind === 'probe') return child<Samples>('probe-step.ts', [c.fused ? '1' : '0', c.optimizer, String(WARMUP), String(steps)], env);
  const place = { name: `${c.name}-${counter++}`, runs, data, steps: WARMUP + steps };
  return child<Samples>('pipeline-step.ts', [JSON.stringify(c.pipeline), JSON.stringify(place), String(WARMUP)], env);
}

const kernelTable = child<Record<string, unknown>>('kernel-table.ts', []);
const overlap = child<Record<string, unknown>>('teacher-overlap.ts', [JSON.stringify({ ...teacher, classes: CLASSES }), String(Math.max(3, steps))]);
/** `BENCH_CASES=v5n,v5n.workers2`: only those cases (to try one; the committed JSON has them all). */
const only = process.env['BENCH_CASES']?.split(',');
const cases = benchCases(teacher).filter((c) => !only || only.includes(c.name));
const collected = new Map<string, (Samples | { skipped: string })[]>(cases.map((c) => [c.name, []]));
for (let r = 0; r < rounds; r++) {
  for (const c of roundOrder(cases, r)) {
    const result = measure(c);
    collected.get(c.name)?.push(result);
    process.stderr.write(`round ${r + 1}/${rounds} ${c.name}: ${'skipped' in result ? result.skipped : `median ${median(result.stepMs)} ms`} (load ${loadavg()[0]?.toFixed(2)})\n`);
  }
}
rmSync(runs, { recursive: true, force: true });

const summary = (name: string) => {
  const all = collected.get(name) ?? [];
  const measured = all.filter((s): s is Samples => !('skipped' in s));
  if (measured.length === 0) return { skipped: (all[0] as { skipped: string } | undefined)?.skipped ?? 'not run' };
  const pooled = measured.flatMap((s) => s.stepMs);
  const kernels = measured.flatMap((s) => s.kernelCalls ?? []);
  const loop = measured.flatMap((s) => s.loopStepMs ?? []);
  const wait = measured.flatMap((s) => s.teacherWaitMs ?? []);
  const roundMedians = measured.map((s) => round(median(s.stepMs)));
  // The median of the round medians: a round that a burst of load spoils (the machine is shared) moves it least.
  return {
    medianMs: round(median(roundMedians)),
    roundMedians,
    bestRoundMs: Math.min(...roundMedians),
    pooledMedianMs: round(median(pooled)),
    ...(loop.length > 0 ? { loopStepMedianMs: round(median(loop)) } : {}),
    ...(wait.length > 0 ? { teacherWaitMedianMs: round(median(wait)) } : {}),
    ...(kernels.length > 0 ? { kernelCallsPerStep: median(kernels) } : {}),
    loadavg1mBefore: measured.map((s) => s.loadavg?.before[0] ?? null),
    ...(measured[0]?.teacherLog ? { log: measured[0].teacherLog } : {}),
    samplesMs: measured.map((s) => s.stepMs),
  };
};
const byCase = Object.fromEntries(cases.map((c) => [c.name, summary(c.name)]));
const ms = (name: string): number | null => {
  const s = byCase[name] as { medianMs?: number } | undefined;
  return s?.medianMs ?? null;
};
const calls = (name: string): number | null => (byCase[name] as { kernelCallsPerStep?: number } | undefined)?.kernelCallsPerStep ?? null;
const perRound = (name: string): readonly number[] => (byCase[name] as { roundMedians?: number[] } | undefined)?.roundMedians ?? [];
/** A over B as an interleaved A/B: the median over rounds of the ratio within each round (both ran minutes apart). */
const ratio = (a: string, b: string): number | null => {
  const [x, y] = [perRound(a), perRound(b)];
  const within = x.flatMap((value, r) => (y[r] !== undefined ? [value / (y[r] as number)] : []));
  return within.length > 0 ? round(median(within)) : null;
};
const best = (name: string): number | null => (byCase[name] as { bestRoundMs?: number } | undefined)?.bestRoundMs ?? null;

const results = {
  'step.probe.ms': ms('probe'),
  'step.probe.old.ms': ms('probe.old'),
  'step.probe.fusedOnly.ms': ms('probe.fusedOnly'),
  'step.probe.flatOnly.ms': ms('probe.flatOnly'),
  'pytorch.probe.ms': ms('pytorch.probe'),
  'pytorch.probe.defaultWait.ms': ms('pytorch.probe.defaultWait'),
  'ratio.probe': ratio('probe', 'pytorch.probe'),
  'ratio.probe.old': ratio('probe.old', 'pytorch.probe'),
  'speedup.probe': ratio('probe.old', 'probe'),
  'step.v5n.ms': ms('v5n'),
  'step.v5n.old.ms': ms('v5n.old'),
  'step.v5n.fusedOnly.ms': ms('v5n.fusedOnly'),
  'step.v5n.flatOnly.ms': ms('v5n.flatOnly'),
  'speedup.v5n': ratio('v5n.old', 'v5n'),
  'step.v5n.workers2.ms': ms('v5n.workers2'),
  'speedup.v5n.workers2': ratio('v5n.old', 'v5n.workers2'),
  'step.distill.ms': ms('distill'),
  'step.distill.inline.ms': ms('distill.inline'),
  'step.distill.teacherThreads1.ms': ms('distill.teacherThreads1'),
  'ratio.distill': ratio('distill', 'v5n'),
  'ratio.distill.inline': ratio('distill.inline', 'v5n'),
  'speedup.distill.overlap': ratio('distill.inline', 'distill'),
  'teacherWait.distill.ms': (byCase['distill'] as { teacherWaitMedianMs?: number } | undefined)?.teacherWaitMedianMs ?? null,
  'teacherWait.distill.inline.ms': (byCase['distill.inline'] as { teacherWaitMedianMs?: number } | undefined)?.teacherWaitMedianMs ?? null,
  'kernelCalls.probe': calls('probe'),
  'kernelCalls.probe.old': calls('probe.old'),
  'kernelCalls.v5n': calls('v5n'),
  'kernelCalls.v5n.old': calls('v5n.old'),
  'kernelCalls.distill': calls('distill'),
  'kernelCalls.distill.inline': calls('distill.inline'),
  'bestRound.step.probe.ms': best('probe'),
  'bestRound.step.probe.old.ms': best('probe.old'),
  'bestRound.pytorch.probe.ms': best('pytorch.probe'),
  'bestRound.step.v5n.ms': best('v5n'),
  'bestRound.step.v5n.old.ms': best('v5n.old'),
  'bestRound.step.v5n.workers2.ms': best('v5n.workers2'),
  'bestRound.step.distill.ms': best('distill'),
  'bestRound.step.distill.inline.ms': best('distill.inline'),
  'loadavg.start': started.loadavg.map((v) => round(v)),
  'loadavg.end': loadavg().map((v) => round(v)),
};
const target = (value: number | null, ok: (v: number) => boolean) => (value === null ? null : ok(value));
const report = {
  benchmark: 'training speed: probe-net and YOLOv5n steps (old path, each new option, new defaults), PyTorch on the probe, the distill step with the teacher inline and one batch ahead, kernel calls, conv kernels',
  date: started.date,
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: round(totalmem() / 2 ** 30, 1), os: `${process.platform} ${release()}`, node: process.version },
  load: `os.loadavg() at the start and end and before every sample (loadavg1mBefore); ${cpus().length} cores. Cases run interleaved: ${rounds} rounds, each case in its own process, the order rotated every round; a case's ms is the median of its round medians, a ratio the median over rounds of the ratio within the round (interleaved A/B), bestRound.* the least disturbed round`,
  protocol: {
    rounds,
    timedStepsPerRound: steps,
    warmupSteps: WARMUP,
    input: [BATCH, IMAGE_SIZE, IMAGE_SIZE, 3],
    probe: 'the YOLOv5n-shaped probe net (@yolo-distill/backend/probe-net), loss = sum of mean squares of the detect outputs; variableGrads + Adam with clip 10, as the trainer steps',
    v5n: 'yolo-distill run of trainer.Train: yolov5.Model scale n (6 classes) with its native loss, data.Shapes 160 px, SGD nesterov, clip 10, EMA; ms = time between consecutive step events',
    distill: 'yolo-distill run of trainer.Distill: the same student, the recipe of configs/distill-v5s-v5n.yaml with fixed weights (ScoreWeightedL2 P3, ChannelWiseKL P4 P5, DecoupledHead); teacher: onnx.Teacher, thread caller (inline) or worker (one batch ahead)',
    teacher: `${teacher.file}: the probe at width 2 (YOLOv5s-shaped: ${onnx.parameters} parameters), BN folded, random weights, dynamic batch, written with packages/yolo's OnnxModelBuilder (no model exporter yet); onnxruntime-node, graph optimisation off`,
    old: 'YOLO_DISTILL_FUSED_CONV_BN=0 (autodiff Conv-BN-SiLU) and optimizer.implementation: tensor (tfjs-op optimiser and EMA)',
    new: 'the defaults: the fused Conv-BN-SiLU op and the flat-buffer optimiser',
    pytorch: pytorchVersion
      ? { ...pytorchVersion, script: 'tools/bench/training-speed/pytorch-probe.py (the same probe net, Adam)', waitPolicy: 'pytorch.probe: OMP_WAIT_POLICY=PASSIVE; pytorch.probe.defaultWait: unset (GNU OpenMP spins at barriers: on a loaded machine a step then takes seconds)' }
      : { skipped: (byCase['pytorch.probe'] as { skipped?: string }).skipped ?? 'not run' },
  },
  wasmThreads: {
    used: kernelTable['threads'],
    why: 'tfjs-backend-wasm 4.22 reports no multithread support under Node (WASM_HAS_MULTITHREAD_SUPPORT is false when IS_NODE, tfjs issue 3830); forcing the flag fails: its pthread workers are created from a blob: URL, which Node worker_threads refuses (ERR_WORKER_PATH).',
  },
  results,
  targets: {
    'ratio.probe <= 2.5': target(results['ratio.probe'], (v) => v <= 2.5),
    'speedup.v5n >= 1.6': target(results['speedup.v5n'], (v) => v >= 1.6),
    'ratio.distill <= 1.3': target(results['ratio.distill'], (v) => v <= 1.3),
  },
  cases: byCase,
  teacherOverlap: overlap,
  backend: kernelTable['backend'],
  network: kernelTable['network'],
  kernels: kernelTable['kernels'],
  plainJsFallbackStep: kernelTable['plainJsFallbackStep'],
};
const json = JSON.stringify(report, null, 2);
process.stdout.write(`${json}\n`);
if (outFile) writeFileSync(outFile, `${json}\n`);
