import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { PluginRegistry, SeededRng, type DiagnoseReport, type DistillLoss, type Scalar } from '@yolo-distill/core';
import { trainingBatches, type DistillTask, type TrainingStage } from '@yolo-distill/trainer';
import { builtinPlugins } from './builtin-plugins.js';
import { runCli } from './cli.js';
import { cliSandbox } from './test-support/cli-sandbox.js';
import { loadPipelineSpec, openPipelineSession } from './commands/pipeline-session.js';

const configs = fileURLToPath(new URL('../../../configs/', import.meta.url));
const box = cliSandbox('yd-diagnose-');
const io = box.io;

/** configs/tiny-distill.yaml with its data and runs inside the test's folder. */
function tinyDistill(): string {
  const text = readFileSync(join(configs, 'tiny-distill.yaml'), 'utf8').replace('root: datasets/shapes-64', `root: ${join(box.dir, 'shapes')}`);
  const file = join(box.dir, 'tiny-distill.yaml');
  writeFileSync(file, `${text}\nruns: ${join(box.dir, 'runs')}\n`);
  return file;
}

const norm = (grads: Record<string, tf.Tensor>): number => Math.sqrt(Object.values(grads).reduce((sum, g) => sum + (tf.sum(tf.square(g)).dataSync()[0] as number), 0));

describe('yolo-distill diagnose', () => {
  it('measures every term of configs/tiny-distill.yaml as a direct computation does, with the relative weight at its ratio', async () => {
    const file = tinyDistill();
    expect(await runCli(['diagnose', file, '--batches', '2', '--json'], { io })).toBe(0);
    const report = JSON.parse(box.out) as DiagnoseReport;
    expect(report.stage).toBe('distill');
    expect(report.terms.map((t) => t.name)).toEqual(['FeatureL2[neck.0]', 'ChannelWiseKL[neck.2]', 'DecoupledHead']);
    const head = report.terms[2];
    // weight: { relative: 0.5 }: calibrated on these batches, so its gradient is half the native one
    expect(head?.ratio).toBeGreaterThan(0.45);
    expect(head?.ratio).toBeLessThan(0.55);
    expect(head?.parts['foregroundShare']).toBeGreaterThanOrEqual(0);

    // The same numbers, computed directly: a fresh build of the pipeline, the same batches, one gradient per term.
    const registry = new PluginRegistry(builtinPlugins());
    const session = await openPipelineSession(await loadPipelineSpec(file, registry, { overrides: [] }, io), registry, join(box.dir, 'direct'), io);
    const { data, student, teacher } = session.pipeline.models;
    if (!data || !student || !teacher) throw new Error('tiny-distill has data, student and teacher');
    const task = (session.pipeline.stages[0]?.stage as TrainingStage).makeTask() as DistillTask;
    const losses: readonly DistillLoss[] = task.losses;
    await data.prepare();
    const batches = await trainingBatches(data, [], 8, 2, new SeededRng(session.spec.seed).fork('diagnose:0'));
    const native: number[] = [];
    const terms: number[][] = losses.map(() => []);
    for (const batch of batches) {
      const images = tf.tensor4d(batch.images, [...batch.shape]);
      const t = await teacher.forward(images, ['neck.0', 'neck.2']);
      for (const loss of losses) loss.bind?.({ student: student.headDescription!, teacher: teacher.headDescription! });
      const forward = () => student.forward(images, { training: true, taps: ['neck.0', 'neck.2'] });
      const weights = tf.tidy(() => Object.fromEntries(Object.entries(student.getWeights()).map(([k, v]) => [k, tf.clone(v)])));
      native.push(norm(tf.variableGrads(() => student.loss(forward(), batch).total, [...student.trainableVariables()]).grads));
      losses.forEach((loss, i) => {
        const { grads } = tf.variableGrads(() => loss.compute(forward(), t, batch, { epoch: 0, epochs: 2, step: 0, calibrating: true }) as Scalar, [...student.trainableVariables()]);
        terms[i]?.push(norm(grads));
      });
      student.setWeights(weights);
    }
    const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(report.native.gradNorm).toBeCloseTo(mean(native), 3);
    report.terms.forEach((term, i) => {
      expect(term.gradNorm / term.factor).toBeCloseTo(mean(terms[i] ?? []), 3);
    });
    expect(head?.factor).toBeCloseTo((0.5 * mean(native)) / mean(terms[2] ?? []), 3);
  }, 120_000);

  it('moves the native loss with labelSmoothing and teacherMix (soft class targets from the teacher)', async () => {
    const file = tinyDistill();
    const native = async (...set: string[]) => {
      box.clearOutput();
      expect(await runCli(['diagnose', file, '--batches', '1', '--json', ...set.flatMap((s) => ['--set', s])], { io })).toBe(0);
      return (JSON.parse(box.out) as DiagnoseReport).native.value;
    };
    const plain = await native();
    const smoothed = await native('stages[0].labelSmoothing=0.1');
    const mixed = await native('stages[0].labelSmoothing=0.1', 'stages[0].teacherMix=0.5');
    expect(smoothed).not.toBeCloseTo(plain, 4);
    expect(mixed).not.toBeCloseTo(smoothed, 4);
    expect(await native('stages[0].teacherMix=0')).toBeCloseTo(plain, 6);
  }, 120_000);

  it('prints a table by default and refuses a pipeline without distillation terms', async () => {
    const file = tinyDistill();
    expect(await runCli(['diagnose', file, '--batches', '1'], { io })).toBe(0);
    expect(box.out).toMatch(/term +value +factor +grad norm +ratio +cosine/);
    expect(box.out).toMatch(/DecoupledHead .*foregroundShare/);
    box.clearOutput();
    expect(await runCli(['diagnose', file, '--stage', 'nope'], { io })).toBe(2);
    expect(box.err).toMatch(/no stage 'nope' with distillation terms \(stages: distill\)/);
  }, 120_000);
});
