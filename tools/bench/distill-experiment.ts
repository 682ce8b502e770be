/**
 * The headline experiment (issue 10's fair protocol): does distillation make a converged YOLOv5n better?
 * 1. assets: a YOLOv5s teacher and a YOLOv5n student trained once each on the fine shapes set, their
 *    checkpoints committed under benchmarks/assets/ with sha256 (reused, never retrained);
 * 2. compare: from the converged student, N more epochs with labels only vs labels + distillation,
 *    paired by seed; each finished run's result is committed under docs/benchmarks/distill-runs/, so a
 *    stopped experiment continues where it stopped (an interrupted run resumes from its checkpoint);
 * 3. report: docs/benchmarks/distill.json and distill.table.md.
 *
 * Several invocations may share a work folder (e.g. one per free core): each run is claimed through a
 * lock file, so none runs twice at once.
 *
 * `npm run bench:distill -- [--quick] [--jobs 2] [--phase assets|compare|all] [--variants joint,head] [--report-only]
 *   [--work DIR] [--assets DIR] [--results DIR] [--out PREFIX]` (the last four: where runs, assets, per-run results and the report go)
 */
// An entry point (@yolo-distill/eval's statistics come with its tsyringe plugins): load reflect-metadata first.
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureAsset, existingAsset, type AssetRecord } from './distill/assets.js';
import { comparePipeline, FULL_PLAN, QUICK_PLAN, variantNeedsTeacher, VARIANTS, type Variant } from './distill/plan.js';
import { runClaimed, runOutcome, writeAtomic } from './distill/run-pipeline.js';
import { meanCi, pairedGains, type MeanCi } from '@yolo-distill/eval';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => (args.includes(`--${name}`) ? (args[args.indexOf(`--${name}`) + 1] as string) : fallback);

const quick = flag('quick');
const reportOnly = flag('report-only');
const plan = quick ? QUICK_PLAN : FULL_PLAN;
const JOBS = Number(option('jobs', '2'));
const PHASE = option('phase', 'all');
const WORK = resolve(option('work', quick ? '/tmp/distill-quick-work' : `datasets/distill-bench-${plan.dataId}`));
const ASSETS = resolve(option('assets', quick ? join(WORK, 'assets') : 'benchmarks/assets'));
const RESULTS = resolve(option('results', quick ? join(WORK, 'results') : 'docs/benchmarks/distill-runs'));
const OUT = option('out', quick ? '/tmp/distill-quick' : 'docs/benchmarks/distill');
const DATA_ROOT = join(WORK, `shapes-${plan.dataId}`);
/** The variants this invocation runs; the report covers every variant with a finished run. */
const selected = new Set(option('variants', VARIANTS.map((v) => v.id).join(',')).split(','));

async function pool<T>(tasks: readonly (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(size, tasks.length)) }, async () => {
      while (next < tasks.length) {
        const task = tasks[next++] as () => Promise<T>;
        results.push(await task());
      }
    }),
  );
  return results;
}

interface RunResult {
  readonly run: string;
  readonly variant: string;
  readonly seed: number;
  /** mAP in points (0-100) on the val split, the run's final EMA weights. */
  readonly map50: number;
  readonly map5095: number;
  /** In points: 100 x (1 - mean IoU of the true positives at the best-F1 confidence); runs before the metric existed lack it. */
  readonly localisationError?: number;
  readonly seconds: number;
}

const resultFile = (run: string) => join(RESULTS, `${run}.json`);

async function compareRun(variant: Variant, seed: number, assets: { teacher: AssetRecord | undefined; student: AssetRecord }): Promise<RunResult | undefined> {
  const run = `${plan.id}-${variant.id}-seed${seed}`;
  if (existsSync(resultFile(run))) return JSON.parse(readFileSync(resultFile(run), 'utf8')) as RunResult;
  if (reportOnly) return undefined;
  const paths = { teacher: join(ASSETS, assets.teacher?.name ?? 'missing-teacher'), student: join(ASSETS, assets.student.name) };
  const body = comparePipeline(plan, variant, seed, DATA_ROOT, paths);
  const folder = await runClaimed(WORK, run, body);
  if (!folder) return undefined;
  const stages = (body.match(/^ {2}- name:/gm) ?? []).length;
  const outcome = runOutcome(folder, stages);
  const result: RunResult = {
    run,
    variant: variant.id,
    seed,
    map50: 100 * outcome.map50,
    map5095: 100 * outcome.map,
    ...(outcome.localisationError === undefined ? {} : { localisationError: 100 * outcome.localisationError }),
    seconds: Math.round(outcome.seconds),
  };
  writeAtomic(resultFile(run), `${JSON.stringify(result, null, 2)}\n`);
  process.stderr.write(`${run}: mAP50 ${result.map50.toFixed(1)}, mAP50-95 ${result.map5095.toFixed(1)} (${result.seconds} s)\n`);
  return result;
}

const started = Date.now();
const names = { assets: ASSETS, work: WORK, dataRoot: DATA_ROOT };
/** The first run generates the data set (atomically, into a temporary folder); the other waits for it rather than racing it. */
async function whenDataExists(): Promise<void> {
  while (!existsSync(join(DATA_ROOT, 'shapes.json'))) await new Promise((r) => setTimeout(r, 2000));
}
// `--phase compare` never trains an asset (another process may be training it): variants that need a
// missing asset are left for later. Otherwise the assets are trained first (resumably).
const training = PHASE !== 'compare' && !reportOnly;
const [teacher, student] = training
  ? await Promise.all([ensureAsset(plan, plan.teacher, names), whenDataExists().then(() => ensureAsset(plan, plan.student, names))])
  : [existingAsset(plan.teacher, ASSETS), existingAsset(plan.student, ASSETS)];
const pct = (record?: AssetRecord) => (record ? (100 * record.map50).toFixed(1) : 'not made yet');
process.stderr.write(`teacher: mAP50 ${pct(teacher)}; student: mAP50 ${pct(student)}\n`);
if (PHASE === 'assets') process.exit(0);
if (!student) {
  process.stderr.write('the converged student is not there yet: nothing to compare\n');
  process.exit(1);
}

const needsTeacher = variantNeedsTeacher;
const variants = VARIANTS.filter((v) => selected.has(v.id) && !plan.skipVariants?.includes(v.id) && (teacher !== undefined || !needsTeacher(v)));
// The main comparison first (all seeds), then the ablations (their seeds), seed-major so pairs finish together.
const tasks = [
  ...plan.seeds.flatMap((seed) => variants.filter((v) => v.main).map((v) => () => compareRun(v, seed, { teacher, student }))),
  ...plan.ablationSeeds.flatMap((seed) => variants.filter((v) => !v.main).map((v) => () => compareRun(v, seed, { teacher, student }))),
];
await pool(tasks, JOBS);
// The report reads every finished run of the plan, whichever invocation ran it.
const finished = (v: Variant, seeds: readonly number[]) =>
  seeds.flatMap((seed) => {
    const file = resultFile(`${plan.id}-${v.id}-seed${seed}`);
    return existsSync(file) ? [JSON.parse(readFileSync(file, 'utf8')) as RunResult] : [];
  });
const results = VARIANTS.flatMap((v) => finished(v, v.main ? plan.seeds : plan.ablationSeeds));

const bySeed = (id: string, key: 'map50' | 'map5095' | 'localisationError') =>
  new Map(results.filter((r) => r.variant === id && r[key] !== undefined).map((r) => [r.seed, r[key] as number]));
const interval = (m: MeanCi): [number, number] => [m.mean - m.ci95, m.mean + m.ci95];
const round = (x: number) => Math.round(x * 100) / 100;
const summary = VARIANTS.filter((v) => results.some((r) => r.variant === v.id))
  .map((v) => {
    const map50 = meanCi([...bySeed(v.id, 'map50').values()]);
    const map5095 = meanCi([...bySeed(v.id, 'map5095').values()]);
    const base = v.baseline ?? 'baseline';
    const isBaseline = v.distill === undefined && v.stages === undefined && v.student === undefined;
    const gain50 = meanCi(pairedGains(bySeed(v.id, 'map50'), bySeed(base, 'map50')));
    const gain5095 = meanCi(pairedGains(bySeed(v.id, 'map5095'), bySeed(base, 'map5095')));
    const loc = meanCi([...bySeed(v.id, 'localisationError').values()]);
    const locChange = meanCi(pairedGains(bySeed(v.id, 'localisationError'), bySeed(base, 'localisationError')));
    return {
      name: v.id,
      label: v.label,
      map50: { mean: round(map50.mean), ci95: round(map50.ci95) },
      map5095: { mean: round(map5095.mean), ci95: round(map5095.ci95) },
      ...(isBaseline ? {} : { paired_with: base, gain_map50: { mean: round(gain50.mean), ci95: interval(gain50).map(round) }, gain_map5095: { mean: round(gain5095.mean), ci95: interval(gain5095).map(round) } }),
      ...(loc.n > 0 ? { localisation_error: { mean: round(loc.mean), ci95: round(loc.ci95) } } : {}),
      ...(!isBaseline && locChange.n > 0 ? { change_localisation_error: { mean: round(locChange.mean), ci95: interval(locChange).map(round) } } : {}),
      n: map50.n,
    };
  });

const report = {
  protocol: `fine shapes ${plan.data.imgsz} px (${plan.data.train} train / ${plan.data.val} val, 16 classes); teacher ${teacher?.model ?? '(not made yet)'} and student ${student.model} trained once (${teacher?.epochs ?? '?'} / ${student.epochs} epochs); from the converged student ${plan.compare.epochs} more epochs (Adam ${plan.compare.lr}, cosine to 0.1, Mosaic p 0.5, HSV, flip) with labels only vs labels + distillation, same seeds; mAP in points on val with the final EMA weights; localisation error in points: 100 x (1 - mean IoU of the true positives at IoU 0.5, best-F1 confidence); gains paired by seed, 95% t intervals`,
  seeds: plan.seeds,
  ablationSeeds: plan.ablationSeeds,
  variants: summary,
  teacher: teacher ? { map50: round(100 * teacher.map50), map5095: round(100 * teacher.map) } : null,
  student_converged: { map50: round(100 * student.map50), map5095: round(100 * student.map) },
  /** Compute time of everything reported: both assets and every run (epochs only, not process gaps). */
  seconds: (teacher?.seconds ?? 0) + student.seconds + results.reduce((sum, r) => sum + r.seconds, 0),
  wallSecondsThisInvocation: Math.round((Date.now() - started) / 1000),
  runs: results,
  notRun: VARIANTS.reduce((n, v) => n + (v.main ? plan.seeds : plan.ablationSeeds).length, 0) - results.length,
  waitingForTeacher: teacher ? [] : VARIANTS.filter((v) => selected.has(v.id) && needsTeacher(v)).map((v) => v.id),
};
const pm = (m: { mean: number; ci95: number }) => `${m.mean.toFixed(1)} ± ${Number.isNaN(m.ci95) ? '–' : m.ci95.toFixed(1)}`;
const gap = (g?: { mean: number; ci95: number[] }) => (g ? `${g.mean >= 0 ? '+' : ''}${g.mean.toFixed(1)} [${g.ci95.map((x) => (Number.isNaN(x) ? '–' : x.toFixed(1))).join(', ')}]` : '–');
const vs = (base?: string) => (base && base !== 'baseline' ? ` vs ${base}` : '');
const table = [
  '| variant | n | mAP@0.5 | mAP@0.5:0.95 | gain mAP@0.5 [95% CI] | gain mAP@0.5:0.95 [95% CI] | localisation error (1 - TP IoU) | its change [95% CI] |',
  '|---|---|---|---|---|---|---|---|',
  ...summary.map(
    (s) =>
      `| ${s.label} | ${s.n} | ${pm(s.map50)} | ${pm(s.map5095)} | ${gap(s.gain_map50)}${vs(s.paired_with)} | ${gap(s.gain_map5095)}${vs(s.paired_with)} | ${s.localisation_error ? pm(s.localisation_error) : '–'} | ${gap(s.change_localisation_error)} |`,
  ),
].join('\n');
mkdirSync(OUT.replace(/\/[^/]*$/, '') || '.', { recursive: true });
writeFileSync(`${OUT}.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${OUT}.table.md`, `${table}\n`);
process.stdout.write(`${table}\n\nteacher ${report.teacher ? `${report.teacher.map50} / ${report.teacher.map5095}` : 'not made yet'}; converged student ${report.student_converged.map50} / ${report.student_converged.map5095}; ${report.notRun} run(s) not run yet\n`);
