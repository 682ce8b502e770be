/**
 * INT8 benchmark (issue 14) on the distillation benchmark's fine shapes set: per model, FP32 (the
 * exported ONNX), post-training INT8 with each calibrator (minmax, percentile 99.99, entropy), and
 * quantization-aware distillation (trainer.Distill + quantize.FakeQuant from the converged student,
 * then quantize.Int8 with the learned ranges); plus `kd-fp32`, the same distillation without fake
 * quantization (the QAT-KD model's float reference). Every model file is scored by the project's
 * evaluator (`yolo-distill eval`, val split), sized, and timed in onnxruntime-node (1 and 2 threads).
 *
 * Each run is a resumable `yolo-distill run` folder under `<work>/runs` (reusing the distillation
 * benchmark's runner and asset checks); each finished measurement is kept under `--results`, so a
 * stopped benchmark continues where it stopped. v8n has no converged asset: `--models v8n` first
 * trains it (resumably, hours: 26 + 2 epochs from scratch; the plan bench:prune's asset phase trains) into
 * `<assets>/fine128-student-v8n`, with its asset.json.
 *
 * `npm run bench:int8 -- [--models v5n,v8n] [--runs ptq,qat-kd,qlinear,kd-fp32,qat-labels] [--work DIR] [--assets DIR] [--results DIR] [--out PREFIX] [--report-only [--skip-latency]]`
 */
import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureAsset, existingAsset, type AssetRecord } from './distill/assets.js';
import { claimRun, runClaimed, writeAtomic } from './distill/run-pipeline.js';
import { CALIBRATORS, CALIBRATION_IMAGES, distillPipeline, MODELS, PLAN, ptqPipeline, qlinearPipeline, QAT, type ModelPlan } from './int8/plan.js';
import { interleavedLatency, measureModel, type ModelFigures } from './int8/measure.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(`--${name}`) ? (args[args.indexOf(`--${name}`) + 1] as string) : fallback);
const reportOnly = args.includes('--report-only');
/** Leaves latency out (null), e.g. for a partial report while another benchmark process trains. */
const skipLatency = args.includes('--skip-latency');
const WORK = resolve(option('work', `datasets/distill-bench-${PLAN.dataId}`));
const ASSETS = resolve(option('assets', 'benchmarks/assets'));
const RESULTS = resolve(option('results', 'docs/benchmarks/int8-runs'));
const OUT = option('out', 'docs/benchmarks/int8');
const DATA_ROOT = join(WORK, `shapes-${PLAN.dataId}`);
const models = new Set(option('models', 'v5n').split(','));
const runs = new Set(option('runs', 'ptq,qat-kd,qlinear,qat-labels,kd-fp32').split(','));
const SIZE = PLAN.data.imgsz;

type Figures = Record<string, ModelFigures>;
type Measured = Record<string, Omit<ModelFigures, 'latency_ms'> & { latency_ms?: ModelFigures['latency_ms'] }>;
const resultFile = (run: string) => join(RESULTS, `${run}.json`);

const saveJson = (file: string, value: unknown) => writeAtomic(file, `${JSON.stringify(value, null, 2)}\n`);

/** Runs (or resumes) one pipeline, then measures the model files it names; both steps are skipped once their result is kept. */
async function runAndMeasure(run: string, body: string, files: Record<string, string>): Promise<Measured | undefined> {
  if (existsSync(resultFile(run))) return JSON.parse(readFileSync(resultFile(run), 'utf8')) as Measured;
  if (reportOnly) return undefined;
  const folder = await runClaimed(WORK, run, body.replaceAll('${RUN}', join(WORK, 'runs', run)));
  if (!folder) return undefined;
  const figures: Measured = {};
  for (const [key, file] of Object.entries(files)) {
    figures[key] = await measureModel(join(folder, 'export', file), DATA_ROOT);
    process.stderr.write(`${run} ${key}: mAP50 ${figures[key]?.map50}, mAP50-95 ${figures[key]?.map5095}, ${figures[key]?.size_mb} MB\n`);
  }
  saveJson(resultFile(run), figures);
  return figures;
}

/**
 * The converged student of a model: committed (sha256-checked), or (v8n) trained here first through the
 * distillation bench's asset runner, the same plan bench:prune's asset phase trains.
 */
async function studentAsset(model: ModelPlan): Promise<AssetRecord | undefined> {
  const committed = existingAsset(model.asset, ASSETS);
  if (committed || reportOnly) return committed;
  const release = claimRun(WORK, model.asset.name);
  if (!release) return undefined;
  try {
    return await ensureAsset(PLAN, model.asset, { assets: ASSETS, work: WORK, dataRoot: DATA_ROOT });
  } finally {
    release();
  }
}

const report: Record<string, unknown> = {};
const missing: string[] = [];
/** Every measured file's figures by path, their latency filled in at the end (one interleaved session). */
const measuredFiles = new Map<string, ModelFigures>();
const withLatency = (m: Measured | undefined): Figures | undefined => {
  if (!m) return undefined;
  const out: Figures = {};
  for (const [key, f] of Object.entries(m)) {
    const figures = { ...f, latency_ms: { threads1: NaN, threads2: NaN } };
    measuredFiles.set(f.file, figures);
    out[key] = figures;
  }
  return out;
};
for (const model of MODELS) {
  const asset = models.has(model.id) ? await studentAsset(model) : existingAsset(model.asset, ASSETS);
  const name = (kind: string) => `int8-${model.id}-${kind}${kind === 'ptq' ? '' : `-seed${QAT.seed}`}`;
  if (!asset) {
    missing.push(`${model.id}: no converged student asset (${model.asset.name}); --models ${model.id} trains it first`);
    continue;
  }
  const want = (kind: string) => models.has(model.id) && runs.has(kind);
  const maybe = (kind: string, body: string, files: Record<string, string>) =>
    want(kind) || existsSync(resultFile(name(kind))) ? runAndMeasure(name(kind), body, files) : Promise.resolve(undefined);
  const ptq = withLatency(await maybe('ptq', ptqPipeline(PLAN, model, DATA_ROOT, ASSETS), { fp32: 'model.fp32.onnx', ...Object.fromEntries(CALIBRATORS.map((m) => [m, `model.ptq-${m}.onnx`])) }));
  const qat = withLatency(await maybe('qat-kd', distillPipeline(PLAN, model, DATA_ROOT, ASSETS, true), { int8: 'model.qat-kd.onnx', fp32_weights: 'model.fp32.onnx' }));
  // QLinearConv variants of the finished PTQ and QAT-KD runs' exports (cheap: no training), once both are there.
  const qlinearBody = qlinearPipeline(PLAN, model, DATA_ROOT, ASSETS, qat !== undefined)
    .replaceAll('${PTQ}', join(WORK, 'runs', name('ptq')))
    .replaceAll('${QAT}', join(WORK, 'runs', name('qat-kd')));
  const qlinearFiles = { ...Object.fromEntries(CALIBRATORS.map((m) => [m, `model.ptq-${m}-qlinear.onnx`])), ...(qat ? { qat_kd: 'model.qat-kd-qlinear.onnx' } : {}) };
  const qlinear = withLatency(ptq && qat ? await maybe('qlinear', qlinearBody, qlinearFiles) : undefined);
  const qatLabels = withLatency(await maybe('qat-labels', distillPipeline(PLAN, model, DATA_ROOT, ASSETS, true, false), { int8: 'model.qat-labels.onnx', fp32_weights: 'model.fp32.onnx' }));
  // The float reference of QAT-KD last: the distillation benchmark's head-cls run (seed 1) is the same recipe in FP32.
  const kd = withLatency(await maybe('kd-fp32', distillPipeline(PLAN, model, DATA_ROOT, ASSETS, false), { fp32: 'model.fp32.onnx' }));
  for (const [kind, figures] of [['ptq', ptq], ['qat-kd', qat], ['qlinear', qlinear], ['kd-fp32', kd], ['qat-labels', qatLabels]] as const) if (!figures) missing.push(name(kind));
  const fp32 = ptq?.['fp32'];
  const drop = (f?: ModelFigures) => (f && fp32 ? Number((f.map50 - fp32.map50).toFixed(2)) : undefined);
  report[model.id] = {
    student_asset: { name: asset.name, map50_trainer_validation: Number((100 * asset.map50).toFixed(2)) },
    ...(fp32 ? { fp32 } : {}),
    ...(ptq ? { ptq: Object.fromEntries(CALIBRATORS.map((m) => [m, { ...(ptq[m] as ModelFigures), map50_change_vs_fp32: drop(ptq[m]) }])) } : {}),
    ...(qat?.['int8'] ? { qat_kd: { ...qat['int8'], map50_change_vs_fp32: drop(qat['int8']), float_weights: qat['fp32_weights'] } } : {}),
    ...(qlinear
      ? {
          ptq_qlinear: Object.fromEntries(CALIBRATORS.flatMap((m) => (qlinear[m] ? [[m, { ...qlinear[m], map50_change_vs_fp32: drop(qlinear[m]) }]] : []))),
          ...(qlinear['qat_kd'] ? { qat_kd_qlinear: { ...qlinear['qat_kd'], map50_change_vs_fp32: drop(qlinear['qat_kd']) } } : {}),
        }
      : {}),
    ...(kd?.['fp32'] ? { kd_fp32: kd['fp32'], qat_kd_change_vs_kd_fp32: qat?.['int8'] ? Number((qat['int8'].map50 - kd['fp32'].map50).toFixed(2)) : undefined } : {}),
    ...(qatLabels?.['int8'] ? { qat_labels: { ...qatLabels['int8'], map50_change_vs_fp32: drop(qatLabels['int8']), float_weights: qatLabels['fp32_weights'] } } : {}),
    ...(fp32 && ptq?.['entropy'] ? { size_ratio_int8_over_fp32: Number((ptq['entropy'].size_mb / fp32.size_mb).toFixed(3)) } : {}),
  };
}

// The figures objects in `report` are the ones in measuredFiles: filling them in updates the report.
const existing = [...measuredFiles.keys()].filter((file) => existsSync(file));
let latencyNote: string | undefined;
/** The machine of the session the carried-over latencies were timed in. */
let timedOn: { loadAverage: number[] } | undefined;
if (!skipLatency && (!reportOnly || existing.length === measuredFiles.size)) {
  const latencies = await interleavedLatency(existing, SIZE);
  for (const [file, l] of latencies) Object.assign((measuredFiles.get(file) as ModelFigures).latency_ms, l);
} else if (existsSync(`${OUT}.json`)) {
  // Not timed now: keep what the report being replaced measured for the same files (timing is a session of its own).
  const previous = JSON.parse(readFileSync(`${OUT}.json`, 'utf8')) as { machine?: { loadAverage: number[] } };
  const carried = carriedLatencies(previous);
  for (const [file, figures] of measuredFiles) {
    const old = carried.get(file);
    if (old) Object.assign(figures.latency_ms, old);
  }
  if (carried.size > 0) {
    latencyNote = `latencies carried over from the previous ${OUT}.json (not re-timed; files new since then have none); machine: the session that timed them`;
    timedOn = previous.machine;
  }
}

/** `latency_ms` of every measured file in a report, by its `file`. */
function carriedLatencies(doc: unknown, into = new Map<string, ModelFigures['latency_ms']>()): Map<string, ModelFigures['latency_ms']> {
  if (Array.isArray(doc)) for (const item of doc) carriedLatencies(item, into);
  else if (doc && typeof doc === 'object') {
    const record = doc as Record<string, unknown>;
    const latency = record['latency_ms'] as ModelFigures['latency_ms'] | undefined;
    if (typeof record['file'] === 'string' && latency && Number.isFinite(latency.threads1)) into.set(record['file'], latency);
    for (const value of Object.values(record)) carriedLatencies(value, into);
  }
  return into;
}

const doc = {
  protocol: `fine shapes ${SIZE} px (${PLAN.data.train} train / ${PLAN.data.val} val, 16 classes), the distillation benchmark's data and committed assets; every model file scored by 'yolo-distill eval <onnx> --data <root>' (val split, conf 0.001, IoU 0.6, COCO mAP in points), run in onnxruntime-node; PTQ: quantize.Int8 on the FP32 export, ${CALIBRATION_IMAGES} training images, per-channel int8 convs, asymmetric uint8 activations, decode tail float; QAT-KD: ${QAT.epochs} epochs of trainer.Distill (head class part, relative 0.5; Adam ${PLAN.compare.lr}, seed ${QAT.seed}) with quantize.FakeQuant (observers frozen after ${QAT.freezeAfter} epochs) from the converged student (teacher: ${MODELS.map((m) => `${m.id} ${m.teacher.asset}`).join(', ')}), exported with the learned ranges; kd-fp32: the same distillation without fake quantization; latency: every file timed in one session, 5 interleaved rounds (rotating order) of 30 single-image runs after 5 warm-ups at 1 and 2 intra-op threads, the median of the round medians; CPU execution provider, graph optimisations on, a 2-core machine shared with other jobs (load average ${(timedOn?.loadAverage ?? loadavg()).map((x) => x.toFixed(1)).join(' / ')} at the end)`,
  machine: timedOn ?? { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)), node: process.version, loadAverage: loadavg().map((x) => Number(x.toFixed(2))) },
  models: report,
  missing,
  ...(latencyNote ? { latency_note: latencyNote } : {}),
};
saveJson(`${OUT}.json`, doc);
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const cell = (f?: { map50: number; map5095: number; size_mb: number; latency_ms: { threads1: number; threads2: number } }) =>
  f ? `${f.map50.toFixed(1)} | ${f.map5095.toFixed(1)} | ${f.size_mb.toFixed(2)} | ${ms(f.latency_ms.threads1)} / ${ms(f.latency_ms.threads2)}` : '– | – | – | –';
const rows: string[] = ['| model | variant | mAP@0.5 | mAP@0.5:0.95 | size MB | ORT ms (1 / 2 threads) | mAP@0.5 vs FP32 |', '|---|---|---|---|---|---|---|'];
for (const [id, r] of Object.entries(report) as [string, Record<string, unknown>][]) {
  const fp32 = r['fp32'] as ModelFigures | undefined;
  const ptq = r['ptq'] as Record<string, ModelFigures & { map50_change_vs_fp32?: number }> | undefined;
  const qat = r['qat_kd'] as (ModelFigures & { map50_change_vs_fp32?: number; float_weights?: ModelFigures }) | undefined;
  const kd = r['kd_fp32'] as ModelFigures | undefined;
  const vs = (x?: number) => (x === undefined ? '–' : `${x >= 0 ? '+' : ''}${x.toFixed(1)}`);
  rows.push(`| ${id} | FP32 (converged student) | ${cell(fp32)} | – |`);
  for (const m of CALIBRATORS) rows.push(`| ${id} | PTQ ${m} | ${cell(ptq?.[m])} | ${vs(ptq?.[m]?.map50_change_vs_fp32)} |`);
  const ql = r['ptq_qlinear'] as Record<string, ModelFigures & { map50_change_vs_fp32?: number }> | undefined;
  const qatQl = r['qat_kd_qlinear'] as (ModelFigures & { map50_change_vs_fp32?: number }) | undefined;
  for (const m of CALIBRATORS) rows.push(`| ${id} | PTQ ${m}, conv outputs too (QLinearConv) | ${cell(ql?.[m])} | ${vs(ql?.[m]?.map50_change_vs_fp32)} |`);
  rows.push(`| ${id} | QAT-KD INT8 | ${cell(qat)} | ${vs(qat?.map50_change_vs_fp32)} |`);
  rows.push(`| ${id} | QAT-KD INT8, conv outputs too (QLinearConv) | ${cell(qatQl)} | ${vs(qatQl?.map50_change_vs_fp32)} |`);
  rows.push(`| ${id} | QAT-KD, its float weights | ${cell(qat?.float_weights)} | – |`);
  rows.push(`| ${id} | KD FP32 (same distillation, no fake quant) | ${cell(kd)} | ${vs(kd && fp32 ? kd.map50 - fp32.map50 : undefined)} |`);
  const ql2 = r['qat_labels'] as (ModelFigures & { map50_change_vs_fp32?: number; float_weights?: ModelFigures }) | undefined;
  rows.push(`| ${id} | QAT labels only INT8 (fake quant, no distillation) | ${cell(ql2)} | ${vs(ql2?.map50_change_vs_fp32)} |`);
  rows.push(`| ${id} | QAT labels only, its float weights | ${cell(ql2?.float_weights)} | – |`);
}
const table = `${rows.join('\n')}\n${missing.length > 0 ? `\nNot measured yet: ${missing.join('; ')}.\n` : ''}`;
writeFileSync(`${OUT}.table.md`, table);
process.stdout.write(`${JSON.stringify(doc, null, 2)}\n\n${table}`);
