/**
 * The headline experiment: does distillation make a YOLOv5n student better on the synthetic shapes set?
 * Trains a YOLOv5s teacher once (cached; continued for more epochs, the earlier copy kept), then the student without a teacher (baseline) and with one
 * (several distillation variants), 3 seeds each, every run a real `yolo-distill run` of a generated
 * pipeline YAML. Reports mAP@0.5 and mAP@0.5:0.95 mean +- 95% CI and the paired gain over the baseline.
 *
 * `npm run bench:distill [-- --quick] [--jobs 2] [--out docs/benchmarks/distill] [--variants baseline,both]
 * [--report-only]`; finished runs are reused, so an interrupted experiment continues where it stopped.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => (args.includes(`--${name}`) ? (args[args.indexOf(`--${name}`) + 1] as string) : fallback);

const quick = flag('quick');
/** Summarise the runs that finished (an interrupted experiment) without starting any. */
const reportOnly = flag('report-only');
const JOBS = Number(option('jobs', '2'));
const OUT = option('out', quick ? '/tmp/distill-quick' : 'docs/benchmarks/distill');
const WORK = resolve(option('work', quick ? '/tmp/distill-quick-work' : 'datasets/distill-bench'));
const SEEDS = quick ? [1] : [1, 2, 3];
const CLI = resolve('packages/cli/dist/main.js');

const plan = {
  imgsz: 96,
  train: quick ? 64 : 512,
  val: quick ? 16 : 128,
  batch: 16,
  /** Trained `epochs` at `lr`, then continued `extraEpochs` at `extraLr` (the 'early' teacher is the first part). */
  teacher: { scale: 's', epochs: quick ? 1 : 24, lr: 2e-3, extraEpochs: quick ? 1 : 40, extraLr: 1e-3 },
  student: { scale: 'n', epochs: quick ? 1 : 10, lr: 2e-3 },
};

const data = `data:
  type: data.Shapes
  root: ${join(WORK, 'shapes')}
  imgsz: ${plan.imgsz}
  train: ${plan.train}
  val: ${plan.val}
  seed: 7`;

/** Settings every training stage here shares (EMA ramped for short runs; validated only at the end). */
function training(epochs: number, lr: number, extra = ''): string {
  return `    epochs: ${epochs}
    batch: ${plan.batch}
    optimizer: { type: adam, lr: ${lr}, weightDecay: 0.0005 }
    schedule: { decay: cosine, finalFactor: 0.05, warmupEpochs: 1 }
    ema: { decay: 0.999, tau: 100 }
    validate: { every: ${epochs} }
    keepBest: false
    logEvery: 50${extra}`;
}

const FEATURES = `      - { type: losses.FeatureL2, student: neck.0, teacher: neck.0, weight: 0.3 }
      - { type: losses.ChannelWiseKL, student: neck.1, teacher: neck.1, weight: 0.7 }
      - { type: losses.ChannelWiseKL, student: neck.2, teacher: neck.2, weight: 0.7 }`;
const HEAD = `      - { type: losses.DecoupledHead, head: { kind: anchor-based, anchors: [[[1.25, 1.625], [2.0, 3.75], [4.125, 2.875]], [[1.875, 3.8125], [3.875, 2.8125], [3.6875, 7.4375]], [[3.625, 2.8125], [4.875, 6.1875], [11.65625, 10.1875]]] } }`;
const CUTMIX = `    featureAugmentations:
      - { type: augment.FeatureCutMix, p: 0.3 }`;

interface Variant {
  readonly id: string;
  readonly label: string;
  /** `early`: the teacher after its first `epochs`; `final`: after the extra epochs too. */
  readonly teacher: 'none' | 'early' | 'final';
  readonly stages: string;
}

const E = plan.student.epochs;
const LR = plan.student.lr;
// The seed's progressive plan 20/40/10 epochs at lr 1e-4/5e-5/3e-5, scaled to E epochs and to this
// from-scratch learning rate (same ratios 1 : 0.5 : 0.3).
const phases = [Math.max(1, Math.round((E * 2) / 7)), Math.max(1, Math.round((E * 4) / 7))];
const progressive = [...phases, Math.max(1, E - phases[0]! - phases[1]!)] as const;

// A 1-epoch teacher (--quick) is no better than the student: let the guard warn instead of stopping.
const QUICK_GUARD = quick ? '\n    guards: { weakTeacher: warn }' : '';
const distill = (losses: string, extra = '') => `  - name: distill
    type: trainer.Distill
${training(E, LR, extra)}${QUICK_GUARD}
    losses:
${losses}`;

const variants: Variant[] = [
  { id: 'baseline', label: 'baseline (no teacher)', teacher: 'none', stages: `  - name: train\n    type: trainer.Train\n${training(E, LR)}` },
  { id: 'both', label: 'features + head, joint, feature CutMix', teacher: 'final', stages: `${distill(`${FEATURES}\n${HEAD}`, `\n${CUTMIX}`)}` },
  {
    id: 'both-early-teacher',
    label: `the same from the teacher after its first ${plan.teacher.epochs} epochs`,
    teacher: 'early',
    stages: `${distill(`${FEATURES}\n${HEAD}`, `\n${CUTMIX}`)}`,
  },
  {
    id: 'both-confident',
    label: 'features + head, head terms only where the teacher is confident (conf >= 0.1), CutMix',
    teacher: 'final',
    stages: distill(`${FEATURES}\n${HEAD.replace('head: {', 'positives: { threshold: 0.1 }, head: {')}`, `\n${CUTMIX}`),
  },
  { id: 'features', label: 'features only', teacher: 'final', stages: distill(FEATURES, `\n${CUTMIX}`) },
  { id: 'head', label: 'head only', teacher: 'final', stages: distill(HEAD) },
  {
    id: 'head-no-labels',
    label: 'head only, no labels (nativeWeight 0): does the head loss carry the teacher at all?',
    teacher: 'final',
    stages: distill(HEAD).replace('    losses:', '    nativeWeight: 0\n    losses:'),
  },
  { id: 'no-cutmix', label: 'features + head, joint, no CutMix', teacher: 'final', stages: distill(`${FEATURES}\n${HEAD}`) },
  {
    id: 'progressive',
    label: `features + head, progressive ${progressive.join('/')} epochs`,
    teacher: 'final',
    stages: `  - name: align
    type: trainer.Distill
${training(progressive[0], LR)}${QUICK_GUARD}
${CUTMIX}
    losses:
${FEATURES}
  - name: adapt
    type: trainer.Distill
${training(progressive[1], LR * 0.5).replace('warmupEpochs: 1', 'warmupEpochs: 0')}
    guards: { compareTeacher: false }
${CUTMIX}
    losses:
${FEATURES}
${HEAD}
  - name: finetune
    type: trainer.Finetune
${training(progressive[2], LR * 0.3).replace('warmupEpochs: 1', 'warmupEpochs: 0')}`,
  },
];
const selected = option('variants', variants.map((v) => v.id).join(',')).split(',');

function run(yamlFile: string, log: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, 'run', yamlFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('close', (code) => {
      writeFileSync(log, Buffer.concat(chunks));
      if (code === 0) done();
      else fail(new Error(`${yamlFile} failed (exit ${code}); see ${log}`));
    });
  });
}

interface RunResult {
  readonly variant: string;
  readonly seed: number;
  readonly map50: number;
  readonly map: number;
  readonly seconds: number;
}

function finalMetrics(folder: string, stages: number): { map50: number; map: number } {
  const summary = JSON.parse(readFileSync(join(folder, `training-${stages - 1}.json`), 'utf8')) as { history: { metrics?: Record<string, number> }[] };
  const last = summary.history[summary.history.length - 1]?.metrics;
  if (!last) throw new Error(`${folder}: the last stage recorded no validation`);
  return { map50: last['map50'] ?? 0, map: last['map'] ?? 0 };
}

class NotRun extends Error {}

async function runPipeline(name: string, body: string): Promise<{ folder: string; seconds: number }> {
  const folder = join(WORK, 'runs', name);
  const state = existsSync(join(folder, 'run.json')) ? (JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as { status: string; startedAt: string; updatedAt: string }) : undefined;
  if (state?.status === 'completed') {
    const timed = join(folder, 'bench-seconds.json');
    // A run finished while its bench process was stopped has no timing file: its run.json times say it.
    const seconds = existsSync(timed) ? Number(JSON.parse(readFileSync(timed, 'utf8'))) : (Date.parse(state.updatedAt) - Date.parse(state.startedAt)) / 1000;
    return { folder, seconds };
  }
  if (reportOnly) throw new NotRun(name);
  const yamlFile = join(WORK, 'configs', `${name}.yaml`);
  writeFileSync(yamlFile, `name: ${name}\nseed: ${body.match(/^seed: (\d+)/m)?.[1] ?? 0}\nbackend: auto\nruns: ${join(WORK, 'runs')}\n${body.replace(/^seed: \d+\n/m, '')}`);
  const started = Date.now();
  // Each run gets a fresh folder name from the CLI when one exists; clear a failed attempt first.
  if (existsSync(folder)) await import('node:fs/promises').then((fs) => fs.rm(folder, { recursive: true, force: true }));
  await run(yamlFile, join(WORK, 'logs', `${name}.log`));
  const seconds = (Date.now() - started) / 1000;
  writeFileSync(join(folder, 'bench-seconds.json'), JSON.stringify(seconds));
  return { folder, seconds };
}

const earlyName = `teacher-v5${plan.teacher.scale}-${plan.imgsz}px-${plan.train}-e${plan.teacher.epochs}`;
const finalName = `${earlyName}-plus${plan.teacher.extraEpochs}`;
const stageEnd = (run: string) => join(WORK, 'runs', run, 'checkpoints', '00-train', 'stage-end');

interface TeacherResult {
  readonly map50: number;
  readonly map: number;
  readonly seconds: number;
}

async function trainTeacher(name: string, weights: string | undefined, epochs: number, lr: number): Promise<TeacherResult> {
  const from = weights ? `  weights: ${weights}\n` : '';
  const settings = training(epochs, lr);
  const body = `seed: 0\n${data}\nstudent:\n  type: yolov5.Model\n  scale: ${plan.teacher.scale}\n  seed: 0\n${from}stages:\n  - name: train\n    type: trainer.Train\n${weights ? settings.replace('warmupEpochs: 1', 'warmupEpochs: 0') : settings}\n`;
  try {
    const { folder, seconds } = await runPipeline(name, body);
    return { ...finalMetrics(folder, 1), seconds };
  } catch (error) {
    if (error instanceof NotRun) throw new Error(`--report-only: the teacher run ${name} has not finished`);
    throw error;
  }
}

async function studentRun(variant: Variant, seed: number): Promise<RunResult> {
  const weights = variant.teacher === 'early' ? stageEnd(earlyName) : stageEnd(finalName);
  const teacher = variant.teacher === 'none' ? '' : `teacher:\n  type: yolov5.Model\n  scale: ${plan.teacher.scale}\n  weights: ${weights}\n`;
  const body = `seed: ${seed}\n${data}\n${teacher}student:\n  type: yolov5.Model\n  scale: ${plan.student.scale}\n  seed: ${seed}\nstages:\n${variant.stages}\n`;
  const stages = (variant.stages.match(/^ {2}- name:/gm) ?? []).length;
  const { folder, seconds } = await runPipeline(`${variant.id}-seed${seed}`, body);
  return { variant: variant.id, seed, ...finalMetrics(folder, stages), seconds };
}

/** Student's t quantile (two-sided 95%) for n - 1 degrees of freedom. */
const T95: Record<number, number> = { 1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571 };

function meanCi(values: readonly number[]): { mean: number; ci95: number; n: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, ci95: Number.NaN, n };
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, ci95: ((T95[n - 1] ?? 1.96) * sd) / Math.sqrt(n), n };
}

async function pool<T>(tasks: (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: (T | undefined)[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        try {
          results[i] = await (tasks[i] as () => Promise<T>)();
        } catch (error) {
          if (!(error instanceof NotRun)) throw error;
        }
      }
    }),
  );
  return results.filter((r): r is T => r !== undefined);
}

for (const dir of ['configs', 'logs', 'runs']) mkdirSync(join(WORK, dir), { recursive: true });
mkdirSync(OUT.replace(/\/[^/]*$/, '') || '.', { recursive: true });
const started = Date.now();
const chosen = variants.filter((v) => selected.includes(v.id));
// One slot trains the teacher (then continues it); the other runs what does not need the final teacher.
const early = trainTeacher(earlyName, undefined, plan.teacher.epochs, plan.teacher.lr);
const teachers = early.then(async (first) => ({ early: first, final: await trainTeacher(finalName, stageEnd(earlyName), plan.teacher.extraEpochs, plan.teacher.extraLr) }));
const runsOf = (list: readonly Variant[], wait?: Promise<unknown>) =>
  list.flatMap((v) =>
    SEEDS.map((seed) => async () => {
      await wait;
      return studentRun(v, seed);
    }),
  );
const [teacher, independentResults] = await Promise.all([
  teachers,
  pool([...runsOf(chosen.filter((v) => v.teacher === 'none')), ...runsOf(chosen.filter((v) => v.teacher === 'early'), early)], Math.max(1, JOBS - 1)),
]);
process.stderr.write(`teacher: ${JSON.stringify(teacher)}\n`);
const finalResults = await pool(runsOf(chosen.filter((v) => v.teacher === 'final')), JOBS);
const baselineResults = independentResults;
const distilledResults = finalResults;
const results = [...baselineResults, ...distilledResults];
const wall = (Date.now() - started) / 1000;

const bySeed = (id: string) => new Map(results.filter((r) => r.variant === id).map((r) => [r.seed, r]));
const base = bySeed('baseline');
const summary = chosen.filter((v) => results.some((r) => r.variant === v.id)).map((v) => {
  const rows = [...bySeed(v.id).values()];
  const gains50 = rows.flatMap((r) => (base.has(r.seed) ? [r.map50 - (base.get(r.seed) as RunResult).map50] : []));
  const gains = rows.flatMap((r) => (base.has(r.seed) ? [r.map - (base.get(r.seed) as RunResult).map] : []));
  return {
    variant: v.id,
    label: v.label,
    map50: meanCi(rows.map((r) => r.map50)),
    map: meanCi(rows.map((r) => r.map)),
    gainMap50: v.teacher !== 'none' ? meanCi(gains50) : undefined,
    gainMap: v.teacher !== 'none' ? meanCi(gains) : undefined,
    secondsPerRun: meanCi(rows.map((r) => r.seconds)).mean,
  };
});

const report = {
  benchmark: 'YOLOv5s teacher -> YOLOv5n student on the synthetic shapes set; mAP on its val split; gain = distilled - baseline paired by seed',
  date: new Date().toISOString(),
  machine: '2-core EPYC, no GPU, tfjs wasm backend (single thread per run), 2 runs at a time',
  plan,
  seeds: SEEDS,
  /** This invocation's wall time (0 with --report-only), and the seconds of every run it reports, teachers included. */
  wallSeconds: Math.round(wall),
  runSeconds: Math.round(teacher.early.seconds + teacher.final.seconds + results.reduce((sum, r) => sum + r.seconds, 0)),
  teacher,
  results,
  summary,
  notRun: chosen.filter((v) => !results.some((r) => r.variant === v.id)).map((v) => v.id),
};
const pct = (x: number) => (100 * x).toFixed(1);
const pm = (m: { mean: number; ci95: number }) => `${pct(m.mean)} ± ${Number.isNaN(m.ci95) ? '–' : pct(m.ci95)}`;
const table = [
  `| variant | mAP@0.5 | mAP@0.5:0.95 | gain mAP@0.5 (paired) | gain mAP@0.5:0.95 | s/run |`,
  `|---|---|---|---|---|---|`,
  ...summary.map((s) => `| ${s.label} | ${pm(s.map50)} | ${pm(s.map)} | ${s.gainMap50 ? pm(s.gainMap50) : '–'} | ${s.gainMap ? pm(s.gainMap) : '–'} | ${s.secondsPerRun.toFixed(0)} |`),
].join('\n');
writeFileSync(`${OUT}.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${OUT}.table.md`, `${table}\n`);
process.stdout.write(`${table}\n\nteacher after ${plan.teacher.epochs} epochs: mAP50 ${pct(teacher.early.map50)}, mAP ${pct(teacher.early.map)}; after ${plan.teacher.epochs + plan.teacher.extraEpochs}: ${pct(teacher.final.map50)}, ${pct(teacher.final.map)}; wall ${Math.round(wall)} s\n`);
