/**
 * The fair protocol of the distillation benchmark: a fine-detail shapes set with a real capacity gap,
 * a YOLOv5s teacher and a YOLOv5n student each trained once to the end of a cosine schedule (the
 * assets), then from the converged student N more epochs with labels only (baseline) or with labels
 * and distillation, the same seeds for both (same data order and augmentations: the stage is named
 * `train` in both, so it draws from the same RNG stream).
 */
export interface Plan {
  /** Names the comparison runs and their results (`<id>-<variant>-seed<n>`). */
  readonly id: string;
  /** Names the work folder and the data set: plans that share it share the generated images. */
  readonly dataId: string;
  readonly data: { readonly imgsz: number; readonly train: number; readonly val: number; readonly seed: number };
  readonly batch: number;
  readonly teacher: AssetPlan;
  readonly student: AssetPlan;
  /** Epochs of the fine-tuning comparison and its learning rate (Adam). */
  readonly compare: { readonly epochs: number; readonly lr: number };
  readonly seeds: readonly number[];
  readonly ablationSeeds: readonly number[];
  /** The quick plan's one-epoch teacher is no better than its student: let the guard warn there. */
  readonly weakTeacher: 'error' | 'warn';
  /** Variants this plan cannot run (the quick plan's untrained models predict no box to refit anchors from). */
  readonly skipVariants?: readonly string[];
}

export interface AssetPlan {
  /** The folder under benchmarks/assets/ (and the run's name). */
  readonly name: string;
  readonly scale: 's' | 'n';
  /** The command that makes it (recorded in asset.json; the distillation bench's when omitted). */
  readonly command?: string;
  /** The adapter (yolov5 when omitted). */
  readonly adapter?: 'yolov5' | 'yolov8';
  /**
   * A committed asset this one continues from (its weights, then this schedule: a warm restart),
   * when the first schedule turned out too short to converge. The base is never retrained.
   */
  readonly continues?: AssetPlan;
  /** Warmup epochs of the Mosaic stage (1 when omitted). */
  readonly warmupEpochs?: number;
  /** Epochs with Mosaic, then epochs without it (Ultralytics' close_mosaic) at a tenth of the rate. */
  readonly epochs: number;
  readonly closeMosaic: number;
  readonly lr: number;
  readonly validateEvery: number;
}

/** Round 1's assets (8 + 1 and 10 + 1 epochs): neither had converged (both still rose by 2-3 points per epoch pair). */
const FIRST_TEACHER: AssetPlan = { name: 'fine128-teacher-v5s', scale: 's', epochs: 8, closeMosaic: 1, lr: 2e-3, validateEvery: 4 };
const FIRST_STUDENT: AssetPlan = { name: 'fine128-student-v5n', scale: 'n', epochs: 10, closeMosaic: 1, lr: 2e-3, validateEvery: 5 };

/**
 * Round 2: both continue from round 1 (a warm restart at half the first rate), so the teacher's lead
 * is measured between converged models and the baseline's fine-tuning no longer gains by itself.
 */
/**
 * YOLOv8n's converged student on the fine shapes set, for the pruning and INT8 benchmarks (the
 * distillation bench has none): trained from scratch with the v5n asset's total schedule (26 epochs with
 * Mosaic at 2e-3, then 2 without), resumably, by whichever of the two benchmarks asks for it first.
 */
export const V8N_STUDENT: AssetPlan = {
  name: 'fine128-student-v8n',
  scale: 'n',
  adapter: 'yolov8',
  epochs: 26,
  closeMosaic: 2,
  lr: 2e-3,
  validateEvery: 13,
  command: 'npm run bench:prune -- --models v8n --phase assets',
};

export const FULL_PLAN: Plan = {
  id: 'fine128r2',
  dataId: 'fine128',
  data: { imgsz: 128, train: 2000, val: 1000, seed: 11 },
  batch: 16,
  teacher: { name: 'fine128-teacher-v5s-r2', scale: 's', continues: FIRST_TEACHER, epochs: 12, closeMosaic: 1, lr: 1e-3, validateEvery: 4 },
  student: { name: 'fine128-student-v5n-r2', scale: 'n', continues: FIRST_STUDENT, epochs: 16, closeMosaic: 1, lr: 1e-3, validateEvery: 4 },
  compare: { epochs: 4, lr: 2e-4 },
  seeds: [1, 2, 3, 4, 5],
  ablationSeeds: [1, 2, 3],
  weakTeacher: 'error',
};

/** A few minutes end to end: the whole machinery on a toy set (the old 96 px smoke test's role). */
export const QUICK_PLAN: Plan = {
  id: 'quick',
  dataId: 'quick',
  data: { imgsz: 128, train: 32, val: 16, seed: 11 },
  batch: 8,
  teacher: { name: 'quick-teacher-v5s', scale: 's', epochs: 1, closeMosaic: 1, lr: 2e-3, validateEvery: 1 },
  student: { name: 'quick-student-v5n', scale: 'n', epochs: 1, closeMosaic: 1, lr: 2e-3, validateEvery: 1 },
  compare: { epochs: 1, lr: 2e-4 },
  seeds: [1],
  ablationSeeds: [1],
  weakTeacher: 'warn',
  skipVariants: ['anchors-student', 'anchors-teacher'],
};

export function dataYaml(plan: Plan, root: string): string {
  const d = plan.data;
  return `data: { type: data.Shapes, variant: fine, root: ${root}, imgsz: ${d.imgsz}, train: ${d.train}, val: ${d.val}, objects: [2, 8], seed: ${d.seed} }`;
}

const AUGMENT = `    augmentations:
      - { type: augment.Mosaic }
      - { type: augment.HSV }
      - { type: augment.Flip }`;

/**
 * One asset's training pipeline: Mosaic/HSV/flip, cosine to 5%, then `closeMosaic` epochs without
 * Mosaic; a continued asset starts from `baseWeights` (the committed folder of `asset.continues`).
 */
export function assetPipeline(plan: Plan, asset: AssetPlan, dataRoot: string, baseWeights?: string): string {
  const common = (epochs: number, lr: number, warmup: number, final: number) => `    epochs: ${epochs}
    batch: ${plan.batch}
    optimizer: { type: adam, lr: ${lr}, weightDecay: 0.0005 }
    schedule: { decay: cosine, finalFactor: ${final}, warmupEpochs: ${warmup} }
    ema: { decay: 0.9995, tau: 200 }
    keepBest: false
    logEvery: 25`;
  return `seed: 0
backend: auto
${dataYaml(plan, dataRoot)}
student: { type: ${asset.adapter ?? 'yolov5'}.Model, scale: ${asset.scale}, ${baseWeights ? `weights: ${baseWeights}` : 'seed: 0'} }
stages:
  - name: train
    type: trainer.Train
${common(asset.epochs, asset.lr, asset.warmupEpochs ?? 1, 0.05)}
    validate: { every: ${asset.validateEvery} }
${AUGMENT}
  - name: close-mosaic
    type: trainer.Train
${common(asset.closeMosaic, asset.lr * 0.1, 0, 0.1)}
    validate: { every: ${asset.closeMosaic} }
    augmentations:
      - { type: augment.HSV }
      - { type: augment.Flip }
`;
}

/** A comparison variant: what its one stage adds to the labels (nothing for the baseline). */
export interface Variant {
  readonly id: string;
  readonly label: string;
  /** Main comparison (all seeds) or an ablation (the ablation seeds). */
  readonly main: boolean;
  /** The stage body after the shared keys; undefined: the baseline (trainer.Train). */
  readonly distill?: string;
  /** More keys of the student's mapping (`anchors: ...`). */
  readonly student?: string;
  /** The pipeline declares the teacher though no stage distils (`anchors: { refit: { from: teacher } }`). */
  readonly teacher?: boolean;
  /** Epochs of its comparison when not the plan's (a longer fine-tune); such a variant pairs with a `baseline` of the same length. */
  readonly epochs?: number;
  /** The variant its gains are paired with (`baseline` when omitted). */
  readonly baseline?: string;
  /** A whole `stages:` list instead of one stage (the progressive plan). */
  readonly stages?: (common: (epochs: number, lrFactor: number) => string, weakTeacher: 'error' | 'warn') => string;
}

const HEAD = '      - { type: losses.DecoupledHead, weight: { relative: 0.5 } }';
/** The head term's class part alone: with every part, objectness takes half of the head's share and classes a sixth. */
const HEAD_CLS = '      - { type: losses.DecoupledHead, objWeight: 0, boxWeight: 0, weight: { relative: 0.5 } }';
const FEATURES = `      - { type: losses.ScoreWeightedL2, student: neck.0, teacher: neck.0, weight: { relative: 0.15 } }
      - { type: losses.ChannelWiseKL, student: neck.1, teacher: neck.1, weight: { relative: 0.175 } }
      - { type: losses.ChannelWiseKL, student: neck.2, teacher: neck.2, weight: { relative: 0.175 } }`;
const FIXED = `      - { type: losses.ScoreWeightedL2, student: neck.0, teacher: neck.0, weight: 0.3, gamma: 2 }
      - { type: losses.ChannelWiseKL, student: neck.1, teacher: neck.1, weight: 0.7, gamma: 2 }
      - { type: losses.ChannelWiseKL, student: neck.2, teacher: neck.2, weight: 0.7, gamma: 2 }
      - { type: losses.DecoupledHead, weight: 1 }`;
const FIXED_CLS = FIXED.replace('DecoupledHead, weight: 1', 'DecoupledHead, objWeight: 0, boxWeight: 0, weight: 1');

/** The design article's progressive plan in the comparison's 4 epochs, with the given head term(s). */
const progressive = (id: string, label: string, head: string, alignHead = ''): Variant => ({
  id,
  label,
  main: false,
  stages: (common, weakTeacher) => `  - name: align
    type: trainer.Distill
${common(1, 1)}
    guards: { weakTeacher: ${weakTeacher}, compareTeacher: false }
    losses:
${FEATURES}${alignHead ? `\n${alignHead}` : ''}
  - name: adapt
    type: trainer.Distill
${common(2, 0.5)}
    guards: { compareTeacher: false }
    losses:
${FEATURES}
${head}
  - name: finetune
    type: trainer.Train
${common(1, 0.3)}
`,
});

const SHORT_VARIANTS: readonly Variant[] = [
  { id: 'baseline', label: 'baseline: labels only', main: true },
  { id: 'joint', label: 'joint: features (0.3 shallow / 0.7 deep of 0.5) + head (0.5), relative weights', main: true, distill: `    losses:\n${FEATURES}\n${HEAD}` },
  { id: 'features', label: 'features only (relative 0.5)', main: false, distill: `    losses:\n${FEATURES}` },
  {
    id: 'features-aligned',
    label: 'features only (relative 0.5), the connectors trained alone for the first epoch (connectorWarmup 125 steps)',
    main: false,
    distill: `    losses:\n${FEATURES.replace(/ \}$/gm, ', connectorWarmup: 125 }')}`,
  },
  { id: 'head', label: 'head only (relative 0.5)', main: false, distill: `    losses:\n${HEAD}` },
  {
    id: 'head-cls',
    label: "head, class part only (relative 0.5): the teacher's class probabilities on its foreground rows",
    main: true,
    distill: `    losses:\n${HEAD_CLS}`,
  },
  {
    id: 'joint-cls',
    label: "joint with the class head: features (0.3 shallow / 0.7 deep of 0.5) + the head's class part (0.5)",
    main: true,
    distill: `    losses:\n${FEATURES}\n${HEAD_CLS}`,
  },
  {
    id: 'head-split',
    label: "head-cls + the head's objectness and box parts as a second term (relative 0.5): do they add or take away?",
    main: false,
    distill: `    losses:\n${HEAD_CLS}\n      - { type: losses.DecoupledHead, clsWeight: 0, weight: { relative: 0.5 } }`,
  },
  {
    id: 'fixed-cls',
    label: "joint-cls with the design article's fixed weights instead of relative ones (features 0.3 / 0.7, gamma 2; class part 1)",
    main: false,
    baseline: 'joint-cls',
    distill: `    losses:\n${FIXED_CLS}`,
  },
  {
    id: 'cutmix-cls',
    label: 'joint-cls + feature CutMix (p 0.3) inside the forward pass at backbone.4 (P3 of the backbone)',
    main: false,
    baseline: 'joint-cls',
    distill: `    featureAugmentations:\n      - { type: augment.FeatureCutMix, p: 0.3, at: backbone.4 }\n    losses:\n${FEATURES}\n${HEAD_CLS}`,
  },
  {
    id: 'soft-labels-cls',
    label: "joint-cls + label smoothing 0.1 mixed with the teacher's class probabilities (teacherMix 0.3) as the native loss's class targets",
    main: false,
    baseline: 'joint-cls',
    distill: `    labelSmoothing: 0.1\n    teacherMix: 0.3\n    losses:\n${FEATURES}\n${HEAD_CLS}`,
  },
  progressive('progressive', "the design article's progressive plan in the same 4 epochs: features 1 (lr x1) -> features + head 2 (x0.5) -> labels 1 (x0.3)", HEAD),
  { ...progressive('progressive-cls', 'the progressive plan with the class head: features 1 -> features + head class part 2 -> labels 1', HEAD_CLS), baseline: 'joint-cls' },
  {
    ...progressive('progressive-cls-early', 'the progressive plan with the class part from the first stage: features + class part 1 -> features + class part 2 -> labels 1', HEAD_CLS, HEAD_CLS),
    baseline: 'joint-cls',
  },
  {
    id: 'anchors-student',
    label: "labels only, anchors refit from the student's own confident predicted boxes (k-means + evolution on 500 training images)",
    main: false,
    student: 'anchors: { refit: { from: student, images: 500 } }',
  },
  {
    id: 'anchors-teacher',
    label: "labels only, anchors refit from the teacher's confident predicted boxes (500 training images)",
    main: false,
    student: 'anchors: { refit: { from: teacher, images: 500 } }',
    teacher: true,
  },
];

/** The long comparison: 12 epochs instead of 4, where the labels-only fine-tune has flattened and the head term has time to act. */
const LONG_EPOCHS = 12;
const LONG_VARIANTS: readonly Variant[] = [
  { id: 'baseline-long', label: `baseline, ${LONG_EPOCHS} epochs: labels only`, main: false, epochs: LONG_EPOCHS },
  { id: 'head-long', label: `head only (relative 0.5), ${LONG_EPOCHS} epochs`, main: false, epochs: LONG_EPOCHS, baseline: 'baseline-long', distill: `    losses:\n${HEAD}` },
  { id: 'joint-long', label: `joint, ${LONG_EPOCHS} epochs`, main: false, epochs: LONG_EPOCHS, baseline: 'baseline-long', distill: `    losses:\n${FEATURES}\n${HEAD}` },
];

export const VARIANTS: readonly Variant[] = [...SHORT_VARIANTS, ...LONG_VARIANTS];

export const variantNeedsTeacher = (v: Variant): boolean => v.distill !== undefined || v.stages !== undefined || v.teacher === true;

/**
 * The training keys of a comparison stage (Adam at the plan's comparison rate times `lrFactor`, cosine
 * to 0.1, EMA, validation at the end, Mosaic 0.5 / HSV / flip), which the pruning and INT8 benches share.
 */
export function compareStageKeys(plan: Plan, epochs: number, lrFactor = 1): string {
  return `    epochs: ${epochs}
    batch: ${plan.batch}
    optimizer: { type: adam, lr: ${plan.compare.lr * lrFactor}, weightDecay: 0.0005 }
    schedule: { decay: cosine, finalFactor: 0.1, warmupEpochs: 0 }
    ema: { decay: 0.999, tau: 100 }
    validate: { every: ${epochs} }
    keepBest: false
    logEvery: 25
    augmentations:
      - { type: augment.Mosaic, p: 0.5 }
      - { type: augment.HSV }
      - { type: augment.Flip }`;
}

/**
 * One comparison run. `compareTeacher: false`: the teacher's and the converged student's mAP are
 * measured once, in their asset.json; re-measuring both on 1,000 images in every run would add minutes.
 */
export function comparePipeline(plan: Plan, variant: Variant, seed: number, dataRoot: string, assets: { teacher: string; student: string; studentAdapter?: 'yolov5' | 'yolov8' }): string {
  const n = variant.epochs ?? plan.compare.epochs;
  const common = (epochs: number, lrFactor: number) => compareStageKeys(plan, epochs, lrFactor);
  const teacher = variantNeedsTeacher(variant) ? `teacher: { type: yolov5.Model, scale: ${plan.teacher.scale}, weights: ${assets.teacher} }\n` : '';
  const stages = variant.stages
    ? variant.stages(common, plan.weakTeacher)
    : `  - name: train\n    type: ${variant.distill ? 'trainer.Distill' : 'trainer.Train'}\n${common(n, 1)}\n${variant.distill ? `    guards: { weakTeacher: ${plan.weakTeacher}, compareTeacher: false }\n${variant.distill}\n` : ''}`;
  return `seed: ${seed}
backend: auto
${dataYaml(plan, dataRoot)}
${teacher}student: { type: ${assets.studentAdapter ?? 'yolov5'}.Model, scale: ${plan.student.scale}, weights: ${assets.student}${variant.student ? `, ${variant.student}` : ''} }
stages:
${stages}`;
}
