import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { selectBackend } from '@yolo-distill/backend';
import { modelStats } from '@yolo-distill/eval';
import { buildYoloV5 } from '@yolo-distill/yolo-v5';
import { runCli } from '../cli.js';
import type { CliIO } from '../cli-io.js';
import { EPOCH_LOSS_COLOUR } from '../report/loss-plot.js';
import { readRunRecord } from '../report/run-record.js';
import { dumpDom, findChromium, screenshot } from '../test-support/headless-chromium.js';
import { trainStudent } from '../test-support/trained-students.js';

// Two tiny real runs on 64 px shapes (6 classes, 8 train / 4 val images): a plain YOLOv5n student (no
// teacher), then a distillation whose teacher is that student's checkpoint. Both reported once.
const chromium = findChromium();
const NO_CHROMIUM = 'SKIPPED: chromium is not installed here (.ci/run installs it: apt-get install -y chromium)';
if (!chromium) console.warn(`report-command.spec: the headless-Chromium test is ${NO_CHROMIUM}`);

const state = { dir: '', out: '', err: '' };
const io: CliIO = { stdout: (t) => void (state.out += t), stderr: (t) => void (state.err += t), interactive: false, env: {} };
let plain = '';
let distilled = '';

const distillPipeline = (dir: string, teacherWeights: string) => `name: distilled
seed: 1
backend: wasm
runs: ${join(dir, 'runs')}
data: { type: data.Shapes, root: ${join(dir, 'shapes')}, imgsz: 64, train: 8, val: 4, seed: 3 }
teacher: { type: yolov5.Model, scale: n, weights: ${teacherWeights} }
student: { type: yolov5.Model, scale: n, seed: 2 }
stages:
  - name: distill
    type: trainer.Distill
    epochs: 2
    batch: 4
    stepsPerEpoch: 2
    optimizer: { type: adam, lr: 0.002 }
    schedule: { warmupEpochs: 0 }
    logEvery: 1
    guards: { untrainedTeacher: warn, weakTeacher: warn }
    losses:
      - { type: losses.FeatureL2, student: neck.0, teacher: neck.0, weight: 0.3 }
      - { type: losses.DecoupledHead }
`;

beforeAll(async () => {
  state.dir = mkdtempSync(join(tmpdir(), 'yd-report-'));
  plain = await trainStudent(state.dir, 'v5', io, 2);
  const teacher = (JSON.parse(readFileSync(join(plain, 'checkpoints', 'latest.json'), 'utf8')) as { path: string }).path;
  const file = join(state.dir, 'distilled.yaml');
  writeFileSync(file, distillPipeline(state.dir, teacher));
  const code = await runCli(['run', file], { io });
  if (code !== 0) throw new Error(`the distillation run failed (${code}): ${state.err}`);
  distilled = join(state.dir, 'runs', 'distilled');
}, 240_000);

afterAll(() => rmSync(state.dir, { recursive: true, force: true }));

beforeEach(() => {
  state.out = '';
  state.err = '';
});

/** The cells of each row of the table `id` in an HTML text (tags inside cells dropped). */
function tableRows(html: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html)?.[1];
  if (table === undefined) throw new Error(`no table #${id}`);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...(row[1] as string).matchAll(/<td>([\s\S]*?)<\/td>/g)].map((cell) => (cell[1] as string).replace(/<[^>]+>/g, '')));
}

const metric = async (run: string, stage: number, name: string) => {
  const record = await readRunRecord(run);
  if (name.startsWith('before.')) {
    const rail = record.guardRails.find((r) => r.stage === stage);
    const [, who, key] = name.split('.') as [string, 'teacher' | 'student', string];
    return rail?.[who][key];
  }
  return record.best.get(stage)?.[name.replace('best.', '')];
};

/** Parameters as a second implementation counts them: eval's modelStats on YOLOv5n with the data's 6 classes. */
async function yolov5nParameters(): Promise<number> {
  await selectBackend('wasm');
  const model = buildYoloV5({ scale: 'n', numClasses: 6 });
  try {
    return (await modelStats(model, { imageSize: 64 })).parameters;
  } finally {
    model.dispose();
  }
}

const fixed3 = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(3));
const mib = (path: string) => `${(statSync(join(path, 'tensors.bin')).size / 2 ** 20).toFixed(2)} MiB`;

describe('yolo-distill report', () => {
  it('reports a run without a teacher: no guard rails; the table from its events and checkpoint; plots with their specs beside them', async () => {
    expect(await runCli(['report', plain], { io })).toBe(0);
    const html = readFileSync(join(plain, 'report.html'), 'utf8');
    expect(state.out).toContain(`report ${join(plain, 'report.html')}`);
    expect(html).not.toContain('guard-rails');

    const parameters = await yolov5nParameters();
    const bestCheckpoint = join(plain, 'checkpoints', '00-train', 'stage-end');
    expect(tableRows(html, 'before-after')).toEqual([
      ['student after train (trainer.Train)', fixed3(await metric(plain, 0, 'best.map50')), fixed3(await metric(plain, 0, 'best.map')), parameters.toLocaleString('en-US'), mib(bestCheckpoint)],
    ]);

    // Each plot: an SVG, and its Vega-Lite spec whose data is what the run recorded.
    const record = await readRunRecord(plain);
    const lossSpec = JSON.parse(readFileSync(join(plain, 'plots', 'losses.vl.json'), 'utf8')) as { data: { values: unknown } };
    expect(lossSpec.data.values).toEqual(JSON.parse(JSON.stringify(record.losses)));
    const terms = ['total', 'native', 'native.box', 'native.obj', 'native.cls', 'gradNorm'];
    expect(record.losses.filter((p) => p.kind === 'step').map((p) => `${p.x} ${p.term}`)).toEqual([...terms.map((t) => `0.5 ${t}`), ...terms.map((t) => `1 ${t}`)]);
    const validationSpec = JSON.parse(readFileSync(join(plain, 'plots', 'validation.vl.json'), 'utf8')) as { data: { values: unknown } };
    expect(validationSpec.data.values).toEqual(JSON.parse(JSON.stringify(record.validation)));
    for (const name of ['losses', 'validation', 'pr-curves', 'f1-curves', 'confusion-matrix']) {
      expect(readFileSync(join(plain, 'plots', `${name}.svg`), 'utf8')).toMatch(/^<svg /);
    }

    // The evaluated figures are eval's: the same model on the same split.
    state.out = '';
    expect(await runCli(['eval', plain, '--data', join(state.dir, 'shapes'), '--json'], { io })).toBe(0);
    const scored = JSON.parse(state.out) as { map50: number; map: number; precision: number; recall: number; images: number; instances: number };
    const all = tableRows(html, 'per-class')[0];
    expect(all).toEqual(['all', String(scored.images), String(scored.instances), fixed3(scored.precision), fixed3(scored.recall), fixed3(scored.map50), fixed3(scored.map)]);
  }, 120_000);

  it.skipIf(!chromium)(`renders a distillation run's report in headless Chromium: the tables in the DOM, the loss plot on the screen${chromium ? '' : ` (${NO_CHROMIUM})`}`, async () => {
    expect(await runCli(['report', distilled, '--samples', '2'], { io })).toBe(0);
    const page = join(distilled, 'report.html');
    const url = pathToFileURL(page).href;
    const dom = dumpDom(chromium as string, url);
    const teacherWeights = (await readRunRecord(distilled)).guardRails[0]?.check?.weightsSource as string;
    const studentCheckpoint = join(distilled, 'checkpoints', '00-distill', 'stage-end');
    const size = (await yolov5nParameters()).toLocaleString('en-US');
    expect(tableRows(dom, 'before-after')).toEqual([
      ['teacher yolov5n', fixed3(await metric(distilled, 0, 'before.teacher.map50')), fixed3(await metric(distilled, 0, 'before.teacher.map')), size, mib(teacherWeights)],
      ['student yolov5n before distilling', fixed3(await metric(distilled, 0, 'before.student.map50')), fixed3(await metric(distilled, 0, 'before.student.map')), size, mib(studentCheckpoint)],
      ['student after distill (trainer.Distill)', fixed3(await metric(distilled, 0, 'best.map50')), fixed3(await metric(distilled, 0, 'best.map')), size, mib(studentCheckpoint)],
    ]);
    const rails = tableRows(dom, 'guard-rails-0');
    expect(rails.map((row) => row[0])).toEqual(['map50', 'map', 'fitness']);
    expect(rails[0]?.[1]).toBe((await metric(distilled, 0, 'before.teacher.map50'))?.toFixed(4));
    expect(dom.match(/<img alt="(true|predicted) boxes" src="data:image\/png;base64,/g)).toHaveLength(4);
    expect(dom).not.toMatch(/<script|<link|src="http/);

    // The loss plot on the screen: where the page differs from the same page with that plot blanked, the epoch line's colour.
    const window = { width: 1400, height: 6000 };
    const shot = join(state.dir, 'report.png');
    const blankShot = join(state.dir, 'blank.png');
    screenshot(chromium as string, url, shot, window);
    const html = readFileSync(page, 'utf8');
    const lossSvg = /<figure id="plot-losses">[\s\S]*?(<svg[\s\S]*?<\/svg>)<\/figure>/.exec(html)?.[1] as string;
    const [, width, height] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(lossSvg) as unknown as [string, string, string];
    const blank = join(distilled, 'blank.html');
    writeFileSync(blank, html.replace(lossSvg, `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"></svg>`));
    screenshot(chromium as string, pathToFileURL(blank).href, blankShot, window);

    const [a, b] = await Promise.all([shot, blankShot].map((file) => sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true })));
    expect(a!.info.width).toBe(window.width);
    const colour = [1, 3, 5].map((i) => parseInt(EPOCH_LOSS_COLOUR.slice(i, i + 2), 16));
    const box = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    let lineColoured = 0;
    for (let p = 0; p < a!.data.length; p += 3) {
      if (a!.data[p] === b!.data[p] && a!.data[p + 1] === b!.data[p + 1] && a!.data[p + 2] === b!.data[p + 2]) continue;
      const x = (p / 3) % window.width;
      const y = Math.floor(p / 3 / window.width);
      box.left = Math.min(box.left, x);
      box.right = Math.max(box.right, x);
      box.top = Math.min(box.top, y);
      box.bottom = Math.max(box.bottom, y);
      if ([0, 1, 2].every((c) => Math.abs((a!.data[p + c] as number) - (colour[c] as number)) <= 24)) lineColoured += 1;
    }
    // The differing region is the plot (about its SVG's size), and the epoch lines of its terms are drawn in it.
    expect(box.right - box.left + 1).toBeGreaterThan(Number(width) * 0.8);
    expect(box.right - box.left + 1).toBeLessThanOrEqual(Number(width) + 2);
    expect(box.bottom - box.top + 1).toBeGreaterThan(Number(height) * 0.8);
    expect(lineColoured).toBeGreaterThan(200);
  }, 180_000);

  it('--no-eval leaves the evaluation out; a run without a checkpoint gets the page, saying why it is not evaluated', async () => {
    expect(await runCli(['report', plain, '--no-eval'], { io })).toBe(0);
    const html = readFileSync(join(plain, 'report.html'), 'utf8');
    expect(html).not.toContain('id="evaluation"');
    expect(html).toContain('id="plot-losses"');
    expect(html).not.toContain('id="plot-pr-curves"');

    const bare = join(state.dir, 'bare');
    mkdirSync(bare);
    copyFileSync(join(plain, 'events.jsonl'), join(bare, 'events.jsonl'));
    expect(await runCli(['report', bare], { io })).toBe(0);
    const why = `${bare}: neither a checkpoint folder (meta.json + tensors.bin) nor a run folder (config.resolved.yaml)`;
    expect(state.err).toContain(`report: no validation of the final student (${why})`);
    const page = readFileSync(join(bare, 'report.html'), 'utf8');
    expect(page).toContain(`Not evaluated: ${why}`);
    // The table still lists the stage, from its events.
    expect(tableRows(page, 'before-after').map((row) => row[0])).toEqual(['student after train (trainer.Train)']);
  }, 60_000);

  it('refuses a folder that is no run (exit 2, the folder named)', async () => {
    expect(await runCli(['report', state.dir], { io })).toBe(2);
    expect(state.err).toContain(`error: ${state.dir}: not a run folder (no events.jsonl)`);
    expect(await runCli(['report', plain, '--samples', 'x'], { io })).toBe(2);
  });
});
