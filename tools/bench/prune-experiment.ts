/**
 * `npm run bench:prune`: does distillation from the unpruned model recover a pruned detector better than
 * fine-tuning alone? (issue 13; protocol in prune/plan.ts.)
 * 1. assets: the converged model of each adapter (v5n: the distillation bench's committed asset; v8n:
 *    trained here once, resumably, committed under benchmarks/assets/ with sha256);
 * 2. runs: per model and seed, prune 35% of the parameters and recover by distillation or by fine-tuning,
 *    each a resumable `yolo-distill run` folder; each finished run's result goes to docs/benchmarks/prune-runs/;
 * 3. report: docs/benchmarks/prune.json and prune.table.md (a partial report names the missing runs).
 *
 * `npm run bench:prune -- [--models v5n,v8n] [--phase assets|runs|all] [--report-only] [--work DIR] [--results DIR] [--out PREFIX]`
 * The data set is the distillation bench's (`--data DIR`, default `<work>/shapes-fine128`).
 */
// An entry point (the ONNX measurement builds models): load reflect-metadata before anything that uses tsyringe.
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ensureAsset, existingAsset, type AssetRecord } from './distill/assets.js';
import { comparePipeline, FULL_PLAN, VARIANTS } from './distill/plan.js';
import { runClaimed, runOrResume, runOutcome, writeAtomic } from './distill/run-pipeline.js';
import { meanCi, pairedGains } from '@yolo-distill/eval';
import { MODELS, PRUNE_PLAN, prunePipeline, RECOVERIES, type PrunedModel, type Recovery } from './prune/plan.js';
import { measureOnnx, type OnnxCost } from './prune/onnx-cost.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => (args.includes(`--${name}`) ? (args[args.indexOf(`--${name}`) + 1] as string) : fallback);

const reportOnly = flag('report-only');
const PHASE = option('phase', 'all');
const WORK = resolve(option('work', `datasets/prune-bench-${FULL_PLAN.dataId}`));
const ASSETS = resolve(option('assets', 'benchmarks/assets'));
const RESULTS = resolve(option('results', 'docs/benchmarks/prune-runs'));
const OUT = option('out', 'docs/benchmarks/prune');
const DATA_ROOT = resolve(option('data', join(WORK, `shapes-${FULL_PLAN.dataId}`)));
const selected = MODELS.filter((m) => option('models', 'v5n').split(',').includes(m.id));
const recoveries = RECOVERIES.filter((r) => option('recoveries', RECOVERIES.join(',')).split(',').includes(r));

interface RunResult {
  readonly run: string;
  readonly model: string;
  readonly recovery: Recovery;
  readonly seed: number;
  /** mAP in points (0-100) on the val split, the run's final EMA weights. */
  readonly map50: number;
  readonly map5095: number;
  readonly paramsBefore: number;
  readonly paramsAfter: number;
  readonly flopsBefore: number;
  readonly flopsAfter: number;
  readonly seconds: number;
}

const resultFile = (run: string) => join(RESULTS, `${run}.json`);
const runName = (model: PrunedModel, recovery: Recovery, seed: number) => `${PRUNE_PLAN.id}-${model.id}-${recovery}-seed${seed}`;
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

async function pruneRun(model: PrunedModel, recovery: Recovery, seed: number, asset: AssetRecord): Promise<RunResult | undefined> {
  const run = runName(model, recovery, seed);
  if (existsSync(resultFile(run))) return readJson<RunResult>(resultFile(run));
  if (reportOnly) return undefined;
  const body = prunePipeline(model, recovery, seed, DATA_ROOT, join(ASSETS, asset.name), recovery === 'distill-converged' ? await convergedTeacher(model, asset) : undefined);
  const folder = await runClaimed(WORK, run, body);
  if (!folder) return undefined;
  const outcome = runOutcome(folder, 2, 1);
  const prune = readJson<{ before: { params: number; flops: number }; after: { params: number; flops: number } }>(join(folder, 'prune-0.json'));
  const result: RunResult = {
    run,
    model: model.id,
    recovery,
    seed,
    map50: 100 * outcome.map50,
    map5095: 100 * outcome.map,
    paramsBefore: prune.before.params,
    paramsAfter: prune.after.params,
    flopsBefore: prune.before.flops,
    flopsAfter: prune.after.flops,
    seconds: Math.round(outcome.seconds),
  };
  writeAtomic(resultFile(run), `${JSON.stringify(result, null, 2)}\n`);
  process.stderr.write(`${run}: mAP50 ${result.map50.toFixed(1)} (${result.seconds} s)\n`);
  return result;
}

/**
 * The unpruned model after the comparison's 4 labels-only epochs: the distillation bench's `baseline` run of
 * seed 1 (the same pipeline, run here resumably, or reused when its finished folder is in the work folder).
 */
async function convergedTeacher(model: PrunedModel, asset: AssetRecord): Promise<string> {
  const baseline = VARIANTS.find((v) => v.id === 'baseline');
  if (!baseline) throw new Error("the distillation bench has no 'baseline' variant");
  // v5n's is the distillation bench's own baseline run (seed 1); other models get theirs here.
  const name = model.id === 'v5n' ? `${FULL_PLAN.id}-baseline-seed1` : `${FULL_PLAN.id}-${model.id}-baseline-seed1`;
  const folder = await runOrResume(WORK, name, comparePipeline(FULL_PLAN, baseline, 1, DATA_ROOT, { teacher: '', student: join(ASSETS, asset.name), studentAdapter: model.adapter }));
  if (model.id !== 'v5n' && !existsSync(resultFile(name))) {
    const outcome = runOutcome(folder, 1);
    writeAtomic(resultFile(name), `${JSON.stringify({ run: name, model: model.id, seed: 1, map50: 100 * outcome.map50, map5095: 100 * outcome.map, seconds: Math.round(outcome.seconds) }, null, 2)}\n`);
  }
  return join(folder, 'checkpoints', '00-train', 'stage-end');
}

const round = (x: number) => Math.round(x * 100) / 100;
const started = Date.now();
const report: Record<string, unknown> = {};
const missing: string[] = [];
for (const model of selected) {
  const names = { assets: ASSETS, work: WORK, dataRoot: DATA_ROOT };
  const asset = PHASE === 'runs' || reportOnly ? existingAsset(model.asset, ASSETS) : await ensureAsset(FULL_PLAN, model.asset, names);
  if (!asset) {
    process.stderr.write(`${model.id}: its converged asset ${model.asset.name} is not made yet (run --phase assets)\n`);
    missing.push(...RECOVERIES.flatMap((r) => PRUNE_PLAN.seeds.map((s) => runName(model, r, s))));
    continue;
  }
  if (PHASE === 'assets') continue;
  // Seed-major, so that pairs finish together; the converged-teacher variant after the main pairs.
  const results: RunResult[] = [];
  const order = [...PRUNE_PLAN.seeds.flatMap((seed) => recoveries.filter((r) => r !== 'distill-converged').map((r) => [r, seed] as const)), ...(recoveries.includes('distill-converged') ? PRUNE_PLAN.seeds.map((seed) => ['distill-converged', seed] as const) : [])];
  for (const [recovery, seed] of order) {
    const result = await pruneRun(model, recovery, seed, asset).catch((error: Error) => {
      process.stderr.write(`${runName(model, recovery, seed)}: ${error.message}\n`);
      return undefined;
    });
    if (result) results.push(result);
    else missing.push(runName(model, recovery, seed));
  }
  const bySeed = (recovery: Recovery) => new Map(results.filter((r) => r.recovery === recovery).map((r) => [r.seed, r.map50]));
  const first = results[0];
  const before = 100 * asset.map50;
  const summary = (recovery: Recovery) => {
    const m = meanCi([...bySeed(recovery).values()]);
    return m.n === 0 ? null : { mean: round(m.mean), ci95: round(m.ci95), drop: round(before - m.mean), n: m.n };
  };
  const gainOver = (recovery: Recovery, base: Recovery) => {
    const g = meanCi(pairedGains(bySeed(recovery), bySeed(base)));
    return { mean: round(g.mean), ci95: [round(g.mean - g.ci95), round(g.mean + g.ci95)], n: g.n };
  };
  const cut = first ? evaluateCut(model, first) : undefined;
  const onnx = first && !reportOnly ? await onnxCosts(model, asset, first).catch((error: Error) => ({ error: error.message })) : previousOnnx(model);
  const distill = summary('distill');
  const finetune = summary('finetune');
  const converged = summary('distill-converged');
  report[model.id] = {
    asset: asset.name,
    params_before: first?.paramsBefore ?? null,
    params_after: first?.paramsAfter ?? null,
    params_removed: first ? round(1 - first.paramsAfter / first.paramsBefore) : null,
    flops_before: first?.flopsBefore ?? null,
    flops_after: first?.flopsAfter ?? null,
    map50_before: round(before),
    ...(cut === undefined ? {} : { map50_pruned_no_recovery: cut }),
    map50_after_distill: distill?.mean ?? null,
    map50_after_finetune: finetune?.mean ?? null,
    map50_after_distill_converged_teacher: converged?.mean ?? null,
    drop_distill: distill?.drop ?? null,
    drop_finetune: finetune?.drop ?? null,
    drop_distill_converged_teacher: converged?.drop ?? null,
    ci95: { distill: distill?.ci95 ?? null, finetune: finetune?.ci95 ?? null, distill_converged_teacher: converged?.ci95 ?? null },
    gain_distill_vs_finetune: gainOver('distill', 'finetune'),
    gain_distill_converged_vs_finetune: gainOver('distill-converged', 'finetune'),
    seeds: PRUNE_PLAN.seeds,
    per_seed: PRUNE_PLAN.seeds.map((seed) => ({
      seed,
      distill: bySeed('distill').get(seed) ?? null,
      finetune: bySeed('finetune').get(seed) ?? null,
      distill_converged_teacher: bySeed('distill-converged').get(seed) ?? null,
    })),
    unpruned_finetuned_same_epochs: unprunedReference(model),
    ...(onnx ? { onnx } : {}),
  };
}

/** A report-only pass does not export or time: the ONNX figures of the report it replaces stay. */
function previousOnnx(model: PrunedModel): unknown {
  if (!existsSync(`${OUT}.json`)) return undefined;
  return readJson<{ models?: Record<string, { onnx?: unknown }> }>(`${OUT}.json`).models?.[model.id]?.onnx;
}

/**
 * What 4 more labels-only epochs give the unpruned model (same protocol): v5n, the distillation bench's
 * baseline runs (every seed); other models, the converged-teacher run of seed 1 made here.
 */
function unprunedReference(model: PrunedModel): { map50: number; n: number; source: string } | null {
  if (model.id !== 'v5n') {
    const file = resultFile(`${FULL_PLAN.id}-${model.id}-baseline-seed1`);
    return existsSync(file) ? { map50: round(readJson<{ map50: number }>(file).map50), n: 1, source: relative(process.cwd(), file) } : null;
  }
  const files = PRUNE_PLAN.seeds.map((seed) => resolve('docs/benchmarks/distill-runs', `${FULL_PLAN.id}-baseline-seed${seed}.json`)).filter((f) => existsSync(f));
  if (files.length === 0) return null;
  const values = files.map((f) => readJson<{ map50: number }>(f).map50);
  return { map50: round(meanCi(values).mean), n: values.length, source: `docs/benchmarks/distill-runs/${FULL_PLAN.id}-baseline-seed*.json` };
}

/**
 * mAP@0.5 right after the cut (no recovery): `yolo-distill eval` of the prune stage's checkpoint on the val
 * split, with the training validation's NMS settings (conf 0.001, IoU 0.6), so that it compares with the
 * asset's `map50`. Cached in the results folder.
 */
function evaluateCut(model: PrunedModel, run: RunResult): number | undefined {
  const file = resultFile(`${PRUNE_PLAN.id}-${model.id}-cut-eval`);
  if (existsSync(file)) return readJson<{ map50: number }>(file).map50;
  if (reportOnly) return undefined;
  const cli = resolve('packages/cli/dist/main.js');
  const checkpoint = join(WORK, 'runs', run.run, 'checkpoints', '00-prune', 'stage-end');
  const out = execFileSync(process.execPath, [cli, 'eval', checkpoint, '--data', DATA_ROOT, '--conf', '0.001', '--iou', '0.6', '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const map50 = round(100 * (JSON.parse(out.slice(out.indexOf('{'))) as { map50: number }).map50);
  writeAtomic(file, `${JSON.stringify({ checkpoint, map50 }, null, 2)}\n`);
  return map50;
}

/** ONNX file size and onnxruntime latency of the unpruned asset and of the first finished run's pruned, recovered model. */
async function onnxCosts(model: PrunedModel, asset: AssetRecord, run: RunResult): Promise<{ before: OnnxCost; after: OnnxCost }> {
  const folder = join(WORK, 'onnx');
  const pruned = join(WORK, 'runs', run.run, 'checkpoints', '01-train', 'stage-end');
  return {
    before: await measureOnnx(model.adapter, join(ASSETS, asset.name), join(folder, `${model.id}-unpruned.onnx`), DATA_ROOT),
    after: await measureOnnx(model.adapter, pruned, join(folder, `${model.id}-pruned.onnx`), DATA_ROOT),
  };
}

const full = {
  protocol: `fine shapes ${FULL_PLAN.data.imgsz} px (${FULL_PLAN.data.train} train / ${FULL_PLAN.data.val} val, 16 classes); from each adapter's converged n model, prune.Channels removes ${100 * PRUNE_PLAN.share}% of the parameters (global ranking of group ${PRUNE_PLAN.importance} importance, Detect convs kept, kept channels a multiple of ${PRUNE_PLAN.roundTo}), then ${PRUNE_PLAN.epochs} epochs (Adam ${PRUNE_PLAN.lr}, cosine to 0.1, EMA, Mosaic p 0.5, HSV, flip) with labels + the unpruned model's class probabilities (trainer.Distill, DecoupledHead class part, relative 0.5; the teacher is the same checkpoint, unpruned) vs labels only (trainer.Finetune), same seeds; mAP@0.5 in points on val with the final EMA weights; drops against the unpruned asset's mAP@0.5; gains paired by seed, 95% t intervals`,
  models: report,
  missing_runs: missing,
  resume: missing.length > 0 ? `npm run bench:prune -- --models ${selected.map((m) => m.id).join(',')}` : undefined,
  wallSecondsThisInvocation: Math.round((Date.now() - started) / 1000),
};
const cell = (value: unknown, ci?: unknown) => (typeof value === 'number' ? `${value.toFixed(1)}${typeof ci === 'number' && !Number.isNaN(ci) ? ` ± ${ci.toFixed(1)}` : ''}` : '–');
const dropCell = (x: unknown) => (typeof x === 'number' ? ` (${x >= 0 ? '-' : '+'}${Math.abs(x).toFixed(1)})` : '');
const gainCell = (g: { mean: number; ci95: number[]; n: number }) => (g.n > 0 ? `${g.mean >= 0 ? '+' : ''}${g.mean.toFixed(1)} [${g.ci95.map((x) => (Number.isNaN(x) ? '–' : x.toFixed(1))).join(', ')}] (n ${g.n})` : '–');
const table = [
  '| model | params before -> after | mAP@0.5 unpruned | right after the cut | fine-tune only (drop) | distill from the unpruned model (drop) | distill - fine-tune [95% CI] | distill from the unpruned model fine-tuned 4 epochs (drop) | its gain over fine-tune [95% CI] | unpruned, fine-tuned 4 epochs |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...Object.entries(report).map(([id, raw]) => {
    const r = raw as Record<string, unknown>;
    const ci = r['ci95'] as Record<string, unknown>;
    const ref = r['unpruned_finetuned_same_epochs'] as { map50: number } | null;
    return `| ${id} | ${r['params_before'] ?? '–'} -> ${r['params_after'] ?? '–'} | ${cell(r['map50_before'])} | ${cell(r['map50_pruned_no_recovery'])} | ${cell(r['map50_after_finetune'], ci['finetune'])}${dropCell(r['drop_finetune'])} | ${cell(r['map50_after_distill'], ci['distill'])}${dropCell(r['drop_distill'])} | ${gainCell(r['gain_distill_vs_finetune'] as never)} | ${cell(r['map50_after_distill_converged_teacher'], ci['distill_converged_teacher'])}${dropCell(r['drop_distill_converged_teacher'])} | ${gainCell(r['gain_distill_converged_vs_finetune'] as never)} | ${cell(ref?.map50)} |`;
  }),
].join('\n');
writeAtomic(`${OUT}.json`, `${JSON.stringify(full, null, 2)}\n`);
writeAtomic(`${OUT}.table.md`, `${table}\n${missing.length > 0 ? `\nMissing runs (resume with \`${full.resume}\`): ${missing.join(', ')}\n` : ''}`);
process.stdout.write(`${JSON.stringify(full, null, 2)}\n`);
