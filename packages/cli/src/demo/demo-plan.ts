import { join } from 'node:path';
import type { PluginRegistry } from '@yolo-distill/core';
import { committedAsset, type CommittedAsset } from './demo-assets.js';

/** One pipeline the demo runs, as a resumable `yolo-distill run` in `<out>/runs/<name>`. */
export interface DemoPipeline {
  readonly name: string;
  readonly yaml: string;
}

/** What the demo runs and compares. */
export interface DemoPlan {
  readonly mode: 'full' | 'fast';
  readonly dataRoot: string;
  /** The teacher: the benchmark's committed checkpoint, or the one `pipelines` trains first. */
  readonly teacher: { readonly weights: string; readonly committed?: CommittedAsset };
  readonly pipelines: readonly DemoPipeline[];
  /** Stage names of the distillation pipeline the closing table reads, in order. */
  /** The stage name whose stage-end is the pruned model, and the INT8 file's name in the run's export folder. */
  readonly compression: { readonly prune?: string; readonly quantize?: string };
  /** Training steps of each student run (one epoch). */
  readonly steps: number;
}

const TEACHER_ASSET = 'fine128-teacher-v5s-r2';
const STUDENT_ASSET = 'fine128-student-v5n-r2';

/**
 * The head's class part alone, relative to the label loss (docs/benchmarks/distill.md: the best recipe
 * measured, +3.4 mAP@0.5 over 4 epochs; the feature terms of the configs cost 0.7 of that in a fine-tune).
 */
const HEAD_CLS = `    losses:
      - { type: losses.DecoupledHead, objWeight: 0, boxWeight: 0, weight: { relative: 0.5 } }`;

interface Sizes {
  readonly data: string;
  readonly train: number;
  readonly epochs: number;
  readonly batch: number;
  readonly lr: number;
  readonly stepsPerEpoch?: number;
}

/**
 * The full demo fine-tunes the benchmark's converged YOLOv5n (45.0 mAP@0.5) for one epoch on 1,000
 * fine-shapes images at 128 px: with labels only (the plain student) and with the YOLOv5s teacher
 * (64.0), as the benchmark does over 4 epochs; then compresses the distilled one. `--fast` (CI) trains
 * everything from scratch on 64 px classic shapes in a few steps: it checks the machinery, not the result.
 */
export function demoPlan(mode: 'full' | 'fast', out: string, registry: PluginRegistry): DemoPlan {
  const dataRoot = join(out, mode === 'full' ? 'shapes-fine128' : 'shapes-64');
  const teacherAsset = mode === 'full' ? committedAsset(TEACHER_ASSET) : undefined;
  const studentAsset = mode === 'full' ? committedAsset(STUDENT_ASSET) : undefined;
  const sizes: Sizes =
    mode === 'full' && teacherAsset && studentAsset
      ? { data: `{ type: data.Shapes, variant: fine, root: ${dataRoot}, imgsz: 128, train: 1000, val: 250, objects: [2, 8], seed: 11 }`, train: 1000, epochs: 1, batch: 16, lr: 2e-4 }
      : { data: `{ type: data.Shapes, root: ${dataRoot}, imgsz: 64, train: 48, val: 16, seed: 2 }`, train: 48, epochs: 1, batch: 8, lr: 2e-3, stepsPerEpoch: 3 };
  const pipelines: DemoPipeline[] = [];
  const runs = join(out, 'runs');
  let teacherWeights: string;
  if (teacherAsset) teacherWeights = teacherAsset.folder;
  else {
    pipelines.push({ name: 'demo-teacher', yaml: header('demo-teacher', runs, sizes.data, '', 'student: { type: yolov5.Model, scale: s, seed: 0 }') + stage('train', 'trainer.Train', sizes, 2e-3, mode === 'fast' ? 6 : 4) });
    teacherWeights = join(runs, 'demo-teacher', 'checkpoints', '00-train', 'stage-end');
  }
  const student = studentAsset ? `student: { type: yolov5.Model, scale: n, weights: ${studentAsset.folder} }` : 'student: { type: yolov5.Model, scale: n, seed: 1 }';
  const teacher = `teacher: { type: yolov5.Model, scale: s, weights: ${teacherWeights} }\n`;
  pipelines.push({ name: 'demo-plain', yaml: header('demo-plain', runs, sizes.data, '', student) + stage('train', 'trainer.Train', sizes, sizes.lr) });

  const guards = `    guards: { weakTeacher: ${teacherAsset ? 'error' : 'warn'}, untrainedTeacher: ${teacherAsset ? 'error' : 'warn'} }\n`;
  let stages = stage('train', 'trainer.Distill', sizes, sizes.lr) + guards + `${HEAD_CLS}\n`;
  const compression: { prune?: string; quantize?: string } = {};
  if (registry.descriptor('prune.Channels')) {
    stages += `  - { name: prune, type: prune.Channels, ratio: 0.35, target: params, roundTo: 4 }\n` + stage('recover', 'trainer.Distill', sizes, sizes.lr) + guards.replace(' }', ', compareTeacher: false }') + `${HEAD_CLS}\n`;
    compression.prune = 'recover';
  }
  stages += `  - { name: export, type: export.Onnx, opset: 13, parityImages: 2 }\n`;
  // quantize.Int8 quantizes what export.Onnx wrote (min-max: the best calibrator on bench:int8's v5n).
  if (registry.descriptor('quantize.Int8')) {
    stages += `  - { name: int8, type: quantize.Int8, calibration: { method: minmax, images: ${mode === 'full' ? 128 : 8} } }\n`;
    compression.quantize = 'yolov5n.int8-minmax.onnx';
  }
  pipelines.push({ name: 'demo-distill', yaml: header('demo-distill', runs, sizes.data, teacher, student) + stages });
  const steps = sizes.stepsPerEpoch ?? Math.floor(sizes.train / sizes.batch);
  return { mode, dataRoot, teacher: { weights: teacherWeights, ...(teacherAsset ? { committed: teacherAsset } : {}) }, pipelines, compression, steps };
}

function header(name: string, runs: string, data: string, teacher: string, student: string): string {
  return `name: ${name}\nseed: 1\nbackend: auto\nruns: ${runs}\ndata: ${data}\n${teacher}${student}\nstages:\n`;
}

function stage(name: string, type: string, sizes: Sizes, lr: number, epochs = sizes.epochs): string {
  return `  - name: ${name}
    type: ${type}
    epochs: ${epochs}
    batch: ${sizes.batch}
${sizes.stepsPerEpoch ? `    stepsPerEpoch: ${sizes.stepsPerEpoch}\n` : ''}    optimizer: { type: adam, lr: ${lr}, weightDecay: 0.0005 }
    schedule: { decay: cosine, finalFactor: 0.1, warmupEpochs: 0 }
    validate: { every: ${epochs} }
    keepBest: false
    augmentations:
      - { type: augment.Mosaic, p: 0.5 }
      - { type: augment.HSV }
      - { type: augment.Flip }
`;
}
