/**
 * A bench child: one real `yolo-distill run` of a bench pipeline (see pipelines.ts), every step timed.
 *   pipeline-step.ts '<PipelineCase JSON>' '<PipelinePlace JSON>' <warm-up steps>
 * Reported per step after the warm-up: the loop's iteration time (between consecutive step events:
 * what a run's throughput is made of), the time inside the loop's step (teacher wait, forward,
 * backward, optimiser, EMA), the tfjs kernel calls in it, and (Distill) the time its `prepare` waits
 * for the teacher on the student's thread. The process's fused-conv switch comes
 * from YOLO_DISTILL_FUSED_CONV_BN.
 */
// An entry point: load reflect-metadata before anything that uses tsyringe.
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@yolo-distill/cli';
import type { TimedRunEvent } from '@yolo-distill/core';
import { DistillTask, TrainingLoop } from '@yolo-distill/trainer';
import { emitResult } from './child-output.js';
import { countKernelCalls } from './kernel-counter.js';
import { pipelineYaml, type PipelineCase, type PipelinePlace } from './pipelines.js';
import { round } from './timing.js';

const [c, at, warmup] = [JSON.parse(process.argv[2] as string) as PipelineCase, JSON.parse(process.argv[3] as string) as PipelinePlace, Number(process.argv[4] ?? 2)];
const before = loadavg();
const kernelCalls = countKernelCalls();

// The loop's step is private: wrapped here, for the bench only (a rename fails loudly).
const proto = TrainingLoop.prototype as unknown as { step: (...args: unknown[]) => Promise<unknown> };
if (typeof proto.step !== 'function') throw new Error('TrainingLoop.prototype.step is gone: update the bench');
const original = proto.step;
const inside: { ms: number; kernels: number }[] = [];
proto.step = async function (this: unknown, ...args: unknown[]) {
  const [started, calls] = [performance.now(), kernelCalls()];
  try {
    return await original.apply(this, args);
  } finally {
    inside.push({ ms: round(performance.now() - started), kernels: kernelCalls() - calls });
  }
};

// Distill's prepare is where the student's thread waits for the teacher (its forward inline, or what
// is left of the forward started one step ahead).
const prepareMs: number[] = [];
const prepare = DistillTask.prototype.prepare;
DistillTask.prototype.prepare = async function (this: DistillTask, ...args: Parameters<DistillTask['prepare']>) {
  const started = performance.now();
  try {
    return await prepare.apply(this, args);
  } finally {
    prepareMs.push(round(performance.now() - started));
  }
};

const file = join(at.runs, `${at.name}.yaml`);
writeFileSync(file, pipelineYaml(c, at));
let log = '';
const io = { stdout: () => undefined, stderr: (text: string) => void (log += text), interactive: false, env: {} };
const code = await runCli(['run', file], { io });
if (code !== 0) throw new Error(`${at.name}: yolo-distill run exited with ${code}\n${log}`);
const stepTimes = readFileSync(join(at.runs, at.name, 'events.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as TimedRunEvent)
  .flatMap((event) => (event.type === 'step' ? [Date.parse(event.time)] : []));
const iterationMs = stepTimes.slice(Math.max(1, warmup)).map((time, i) => time - (stepTimes[Math.max(1, warmup) + i - 1] as number));
emitResult({
  stepMs: iterationMs,
  loopStepMs: inside.slice(warmup).map((s) => s.ms),
  kernelCalls: inside.slice(warmup).map((s) => s.kernels),
  ...(prepareMs.length > 0 ? { teacherWaitMs: prepareMs.slice(-inside.slice(warmup).length) } : {}),
  teacherLog: log.split('\n').find((line) => line.startsWith('teacher ')) ?? null,
  loadavg: { before, after: loadavg() },
});
