import type { ModelRow } from './model-table.js';
import type { Plot } from './plot-render.js';
import type { GuardRailRecord, RunRecord } from './run-record.js';
import type { SampleImage } from './sample-images.js';
import type { SkippedEvaluation, StudentEvaluation } from './student-evaluation.js';

/** What the page shows; every part but the run itself may be missing (no teacher, no validation). */
export interface ReportContent {
  readonly record: RunRecord;
  readonly models: readonly ModelRow[];
  /** Plots in page order, each with its rendered SVG. */
  readonly plots: readonly { readonly plot: Plot; readonly svg: string }[];
  readonly evaluation?: StudentEvaluation | SkippedEvaluation;
  readonly generatedAt: string;
}

export const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const dash = '—';
const fixed = (value: number | undefined, digits = 3) => (value === undefined || !Number.isFinite(value) ? dash : value.toFixed(digits));
const count = (value: number | undefined) => (value === undefined ? dash : value.toLocaleString('en-US'));
const mib = (bytes: number | undefined) => (bytes === undefined ? dash : `${(bytes / 2 ** 20).toFixed(2)} MiB`);

function table(id: string, head: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = (tag: string, row: readonly string[]) => row.map((cell) => `<${tag}>${cell}</${tag}>`).join('');
  return `<table id="${id}"><thead><tr>${cells('th', head)}</tr></thead><tbody>${rows.map((row) => `<tr>${cells('td', row)}</tr>`).join('')}</tbody></table>`;
}

function modelsSection(models: readonly ModelRow[]): string {
  if (models.length === 0) return '';
  const rows = models.map((m) => [escapeHtml(m.model), fixed(m.map50), fixed(m.map), count(m.parameters), mib(m.bytes)]);
  return `<section><h2>Models before and after</h2>${table('before-after', ['model', 'mAP@0.5', 'mAP@0.5:0.95', 'parameters', 'size'], rows)}
<p class="note">mAP: the stage's best validation (trainer.Distill's guard rails for the teacher and the student before distilling); parameters: weights and biases of the stage's checkpoint (BatchNorm running statistics left out); size: its float32 tensors.bin, or the teacher's ONNX file.</p></section>`;
}

function guardRailSection(rails: readonly GuardRailRecord[], record: RunRecord): string {
  if (rails.length === 0) return '';
  const parts = rails.map((rail) => {
    const stage = record.stages.find((s) => s.index === rail.stage)?.name ?? `stage ${rail.stage}`;
    const names = ['map50', 'map', 'fitness'];
    const rows = names.map((name) => {
      const t = rail.teacher[name];
      const s = rail.student[name];
      return [name, fixed(t, 4), fixed(s, 4), t !== undefined && s !== undefined ? fixed(t - s, 4) : dash];
    });
    const check = rail.check;
    const facts = check
      ? `<p>teacher weights: ${check.weightsSource === null ? '<strong>never loaded (freshly initialised)</strong>' : escapeHtml(check.weightsSource)}; batch dependence of its outputs (BN in inference mode when small): ${check.batchDependence.toExponential(2)}</p>`
      : '';
    return `<h3>${escapeHtml(stage)}</h3>${table(`guard-rails-${rail.stage}`, ['figure', 'teacher', 'student before', 'teacher − student'], rows)}${facts}`;
  });
  return `<section id="guard-rails"><h2>Distillation guard rails (teacher vs student before distilling, validation split)</h2>${parts.join('')}</section>`;
}

function figure(plot: Plot, svg: string): string {
  return `<figure id="plot-${plot.name}"><figcaption>${escapeHtml(plot.title)} <span class="file">plots/${plot.name}.svg</span></figcaption>${svg}</figure>`;
}

function evaluationSection(evaluation: ReportContent['evaluation'], plots: ReportContent['plots']): string {
  if (!evaluation) return '';
  if ('skipped' in evaluation) return `<section id="evaluation"><h2>Validation of the final student</h2><p class="note">Not evaluated: ${escapeHtml(evaluation.skipped)}</p></section>`;
  const s = evaluation.summary;
  const perClass = s.classes.map((c) => [
    escapeHtml(evaluation.classNames[c.cls] ?? String(c.cls)),
    String(c.images),
    String(c.instances),
    fixed(c.precision),
    fixed(c.recall),
    fixed(c.ap50),
    fixed(c.ap),
  ]);
  perClass.unshift(['all', String(s.images), String(s.instances), fixed(s.precision), fixed(s.recall), fixed(s.map50), fixed(s.map)]);
  const curveFigures = plots.filter(({ plot }) => ['pr-curves', 'f1-curves', 'confusion-matrix'].includes(plot.name)).map(({ plot, svg }) => figure(plot, svg));
  return `<section id="evaluation"><h2>Validation of the final student</h2>
<p>${escapeHtml(evaluation.model)} from <code>${escapeHtml(evaluation.checkpoint)}</code> on ${evaluation.images} validation images at ${evaluation.imageSize} px (NMS confidence 0.001, IoU 0.6; COCO mAP, Ultralytics' P and R at the best mean F1, confidence ${fixed(s.confidence)}).</p>
${table('per-class', ['class', 'images', 'instances', 'P', 'R', 'mAP@0.5', 'mAP@0.5:0.95'], perClass)}
<div class="plots">${curveFigures.join('')}</div>
${samplesBlock(evaluation.samples)}</section>`;
}

function samplesBlock(samples: readonly SampleImage[]): string {
  if (samples.length === 0) return '';
  const items = samples.map(
    (s) => `<div class="sample"><figure><img alt="true boxes" src="data:image/png;base64,${s.truthPng}"><figcaption>true (${s.truths})</figcaption></figure>` +
      `<figure><img alt="predicted boxes" src="data:image/png;base64,${s.predictedPng}"><figcaption>predicted (${s.predictions}, confidence ≥ 0.25)</figcaption></figure>` +
      `<p class="file">${escapeHtml(s.source)}</p></div>`,
  );
  return `<h3>Sample validation images</h3><div class="samples">${items.join('')}</div>`;
}

function otherMetricsSection(record: RunRecord): string {
  const rows: string[][] = [];
  for (const stage of record.stages) {
    for (const [name, value] of Object.entries(record.otherMetrics.get(stage.index) ?? {})) rows.push([escapeHtml(stage.name), escapeHtml(name), String(value)]);
  }
  return rows.length === 0 ? '' : `<section><h2>Other stage figures</h2>${table('stage-metrics', ['stage', 'figure', 'value'], rows)}</section>`;
}

const STYLE = `body{font-family:sans-serif;margin:24px;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ccc;padding:4px 10px;text-align:right}
th:first-child,td:first-child{text-align:left}thead{background:#f0f0f0}
figure{display:inline-block;margin:8px 16px 8px 0;vertical-align:top}figcaption{font-size:13px;margin-bottom:4px}
.file,.note{color:#777;font-size:12px}.samples{display:flex;flex-wrap:wrap;gap:16px}.sample img{image-rendering:pixelated}`;

/** The self-contained report page: every plot inline SVG, every image a data: PNG, no script, no external file. */
export function reportHtml(content: ReportContent): string {
  const { record } = content;
  const training = content.plots.filter(({ plot }) => plot.name === 'losses' || plot.name === 'validation').map(({ plot, svg }) => figure(plot, svg));
  const stages = record.stages.map((s) => `${escapeHtml(s.name)} (${escapeHtml(s.type)})`).join(', ') || dash;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(record.name)}: run report</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(record.name)}</h1>
<p>status <strong id="run-status">${escapeHtml(record.status)}</strong>; stages: ${stages}; folder <code>${escapeHtml(record.folder)}</code>; report written ${escapeHtml(content.generatedAt)}</p>
${modelsSection(content.models)}
${guardRailSection(record.guardRails, record)}
${training.length > 0 ? `<section id="training"><h2>Training</h2>${training.join('')}</section>` : ''}
${evaluationSection(content.evaluation, content.plots)}
${otherMetricsSection(record)}
</body></html>
`;
}
