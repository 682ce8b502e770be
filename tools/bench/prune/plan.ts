import { compareStageKeys, dataYaml, FULL_PLAN, V8N_STUDENT, type AssetPlan } from '../distill/plan.js';

/**
 * The pruning benchmark: the distillation benchmark's fine shapes set and protocol (same data, batch,
 * 4 recovery epochs at Adam 2e-4, cosine, EMA, Mosaic p 0.5 + HSV + flip), from a converged model of each
 * adapter: prune 35% of its parameters (global group-L2, kept channels a multiple of 4), then recover
 * with labels + the unpruned model's class probabilities (distillation) or with labels alone (fine-tune),
 * the same seeds for both (the recovery stage is named `train` in both, so it draws the same data order).
 */
export const PRUNE_PLAN = { id: 'prune35', share: 0.35, roundTo: 4, importance: 'l2', seeds: [1, 2, 3] as const, epochs: FULL_PLAN.compare.epochs, lr: FULL_PLAN.compare.lr };

export interface PrunedModel {
  readonly id: 'v5n' | 'v8n';
  readonly adapter: 'yolov5' | 'yolov8';
  readonly asset: AssetPlan;
}

export const MODELS: readonly PrunedModel[] = [
  { id: 'v5n', adapter: 'yolov5', asset: FULL_PLAN.student },
  { id: 'v8n', adapter: 'yolov8', asset: V8N_STUDENT },
];

/**
 * `distill`: from the unpruned model (the asset itself); `finetune`: labels only; `distill-converged`: from
 * the unpruned model after the same 4 labels-only epochs (the distillation bench's baseline run, seed 1),
 * because 4 more epochs lift the unpruned asset itself by ~3 points: the asset is a teacher the pruned
 * student can outgrow.
 */
export type Recovery = 'distill' | 'finetune' | 'distill-converged';
export const RECOVERIES: readonly Recovery[] = ['distill', 'finetune', 'distill-converged'];

/** The head term's class part (the distillation bench's best term, +3.4 mAP@0.5 on the unpruned v5n). */
const HEAD_CLS = '      - { type: losses.DecoupledHead, objWeight: 0, boxWeight: 0, weight: { relative: 0.5 } }';

/**
 * One run: prune the converged model, then 4 epochs of recovery. The teacher is the unpruned model itself:
 * the pipeline's `teacher:` loads the same checkpoint as the student, before the prune stage cuts the student.
 */
export function prunePipeline(model: PrunedModel, recovery: Recovery, seed: number, dataRoot: string, weights: string, convergedTeacher?: string): string {
  const plan = FULL_PLAN;
  const type = `${model.adapter}.Model`;
  const distils = recovery !== 'finetune';
  const teacherWeights = recovery === 'distill-converged' ? convergedTeacher : weights;
  if (distils && !teacherWeights) throw new Error(`${recovery} needs the converged unpruned model's checkpoint`);
  const teacher = distils ? `teacher: { type: ${type}, scale: n, weights: ${teacherWeights} }\n` : '';
  const distill = distils ? `    guards: { weakTeacher: error, compareTeacher: false }\n    losses:\n${HEAD_CLS}\n` : '';
  return `seed: ${seed}
backend: auto
${dataYaml(plan, dataRoot)}
${teacher}student: { type: ${type}, scale: n, weights: ${weights} }
stages:
  - name: prune
    type: prune.Channels
    importance: ${PRUNE_PLAN.importance}
    ratio: ${PRUNE_PLAN.share}
    target: params
    roundTo: ${PRUNE_PLAN.roundTo}
  - name: train
    type: ${distils ? 'trainer.Distill' : 'trainer.Finetune'}
${compareStageKeys(plan, PRUNE_PLAN.epochs)}
${distill}`;
}
