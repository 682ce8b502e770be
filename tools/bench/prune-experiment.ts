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
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureAsset, existingAsset, type AssetRecord } from './distill/assets.js';
import { FULL_PLAN } from './distill/plan.js';
import { claimRun, runOrResume, runOutcome } from './distill/run-pipeline.js';
import { meanCi, pairedGains } from './distill/stats.js';
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

function writeAtomic(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

async function pruneRun(model: PrunedModel, recovery: Recovery, seed: number, asset: AssetRecord): Promise<RunResult | undefined> {
  const run = runName(model, recovery, seed);
  if (existsSync(resultFile(run))) return readJson<RunResult>(resultFile(run));
  if (reportOnly) return undefined;
  const body = prunePipeline(model, recovery, seed, DATA_ROOT, join(ASSETS, asset.name));
  const release = claimRun(WORK, run);
  if (!release) {
    process.stderr.write(`${run}: another invocation is running it; left to that one\n`);
    return undefined;
  }
  let folder: string;
  try {
    folder = await runOrResume(WORK, run, body);
  } finally {
    release();
  }
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
  mkdirSync(RESULTS, { recursive: true });
  writeAtomic(resultFile(run), `${JSON.stringify(result, null, 2)}\n`);
  process.stderr.write(`${run}: mAP50 ${result.map50.toFixed(1)} (${result.seconds} s)\n`);
  return result;
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
  // Seed-major, so that pairs finish together.
  const results: RunResult[] = [];
  for (const seed of PRUNE_PLAN.seeds) {
    for (const recovery of RECOVERIES) {
      const result = await pruneRun(model, recovery, seed, asset);
      if (result) results.push(result);
      else missing.push(runName(model, recovery, seed));
    }
  }
  const bySeed = (recovery: Recovery) => new Map(results.filter((r) => r.recovery === recovery).map((r) => [r.seed, r.map50]));
  const distill = meanCi([...bySeed('distill').values()]);
  const finetune = meanCi([...bySeed('finetune').values()]);
  const gain = meanCi(pairedGains(bySeed('distill'), bySeed('finetune')));
  const first = results[0];
  const before = 100 * asset.map50;
  const cut = first ? evaluateCut(model, first) : undefined;
  const onnx = first && !reportOnly ? await onnxCosts(model, asset, first).catch((error: Error) => ({ error: error.message })) : undefined;
  report[model.id] = {
    asset: asset.name,
    params_before: first?.paramsBefore ?? null,
    params_after: first?.paramsAfter ?? null,
    params_removed: first ? round(1 - first.paramsAfter / first.paramsBefore) : null,
    flops_before: first?.flopsBefore ?? null,
    flops_after: first?.flopsAfter ?? null,
    map50_before: round(before),
    map50_after_distill: distill.n > 0 ? round(distill.mean) : null,
    map50_after_finetune: finetune.n > 0 ? round(finetune.mean) : null,
    drop_distill: distill.n > 0 ? round(before - distill.mean) : null,
    drop_finetune: finetune.n > 0 ? round(before - finetune.mean) : null,
    ci95_distill: round(distill.ci95),
    ci95_finetune: round(finetune.ci95),
    gain_distill_vs_finetune: { mean: round(gain.mean), ci95: [round(gain.mean - gain.ci95), round(gain.mean + gain.ci95)], n: gain.n },
    seeds: PRUNE_PLAN.seeds,
    per_seed: PRUNE_PLAN.seeds.map((seed) => ({ seed, distill: bySeed('distill').get(seed) ?? null, finetune: bySeed('finetune').get(seed) ?? null })),
    unpruned_finetuned_same_epochs: unprunedReference(model),
    ...(cut === undefined ? {} : { map50_pruned_no_recovery: cut }),
    ...(onnx ? { onnx } : {}),
  };
}

/** The distillation bench's labels-only runs of the unpruned v5n (same protocol, same seeds): what 4 more epochs give without pruning. */
function unprunedReference(model: PrunedModel): { map50: number; n: number; source: string } | null {
  if (model.id !== 'v5n') return null;
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
const pm = (mean: unknown, ci: unknown) => (typeof mean === 'number' ? `${mean.toFixed(1)}${typeof ci === 'number' && !Number.isNaN(ci) ? ` ± ${ci.toFixed(1)}` : ''}` : '–');
const table = [
  '| model | params before -> after | mAP@0.5 unpruned | after distill (drop) | after fine-tune (drop) | distill - fine-tune [95% CI] | n |',
  '|---|---|---|---|---|---|---|',
  ...Object.entries(report).map(([id, raw]) => {
    const r = raw as Record<string, never>;
    const g = r['gain_distill_vs_finetune'] as { mean: number; ci95: number[]; n: number };
    const drop = (x: unknown) => (typeof x === 'number' ? ` (${x >= 0 ? '-' : '+'}${Math.abs(x).toFixed(1)})` : '');
    return `| ${id} | ${r['params_before'] ?? '–'} -> ${r['params_after'] ?? '–'} | ${pm(r['map50_before'], NaN)} | ${pm(r['map50_after_distill'], r['ci95_distill'])}${drop(r['drop_distill'])} | ${pm(r['map50_after_finetune'], r['ci95_finetune'])}${drop(r['drop_finetune'])} | ${g.n > 0 ? `${g.mean >= 0 ? '+' : ''}${g.mean.toFixed(1)} [${g.ci95.map((x) => (Number.isNaN(x) ? '–' : x.toFixed(1))).join(', ')}]` : '–'} | ${g.n} |`;
  }),
].join('\n');
mkdirSync(OUT.replace(/\/[^/]*$/, '') || '.', { recursive: true });
writeAtomic(`${OUT}.json`, `${JSON.stringify(full, null, 2)}\n`);
writeAtomic(`${OUT}.table.md`, `${table}\n${missing.length > 0 ? `\nMissing runs (resume with \`${full.resume}\`): ${missing.join(', ')}\n` : ''}`);
process.stdout.write(`${JSON.stringify(full, null, 2)}\n`);
