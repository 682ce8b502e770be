/** The bench's pipelines: the real YOLOv5n (native loss) trained alone, and distilled from the ONNX teacher. */
export interface PipelineCase {
  readonly kind: 'train' | 'distill';
  /** `tensor`: the tfjs-op optimiser and EMA (the old path); `flat`: the default. */
  readonly optimizer: 'flat' | 'tensor';
  /** `workers:` of the stage (data-parallel replica threads); 1 when omitted. */
  readonly workers?: number;
  readonly teacher?: { readonly file: string; readonly head: readonly string[]; readonly taps: Readonly<Record<string, string>>; readonly thread: 'worker' | 'caller'; readonly threads?: number };
}

export interface PipelinePlace {
  readonly name: string;
  readonly runs: string;
  readonly data: string;
  readonly steps: number;
}

export const BATCH = 8;
export const IMAGE_SIZE = 160;
export const CLASSES = 6;

/** As configs/distill-v5s-v5n.yaml, with fixed weights (no calibration batches) and no augmentations. */
const DISTILL_LOSSES = `    losses:
      - { type: losses.ScoreWeightedL2, student: neck.0, teacher: neck.0, weight: 0.15 }
      - { type: losses.ChannelWiseKL, student: neck.1, teacher: neck.1, weight: 0.175 }
      - { type: losses.ChannelWiseKL, student: neck.2, teacher: neck.2, weight: 0.175 }
      - { type: losses.DecoupledHead, weight: 0.5 }
    guards: { untrainedTeacher: warn, weakTeacher: warn, compareTeacher: false }
`;

export function pipelineYaml(c: PipelineCase, at: PipelinePlace): string {
  const t = c.teacher;
  const teacher = t
    ? `teacher: { type: onnx.Teacher, file: ${t.file}, classes: ${CLASSES}, head: [${t.head.join(', ')}], taps: { ${Object.entries(t.taps).map(([tap, tensor]) => `${tap}: ${tensor}`).join(', ')} }, thread: ${t.thread}${t.threads ? `, threads: ${t.threads}` : ''} }\n`
    : '';
  return `name: ${at.name}
seed: 0
backend: wasm
runs: ${at.runs}
data: { type: data.Shapes, root: ${at.data}, imgsz: ${IMAGE_SIZE}, train: ${BATCH * 8}, val: 8, seed: 1 }
${teacher}student: { type: yolov5.Model, scale: n, seed: 1 }
stages:
  - name: ${c.kind}
    type: ${c.kind === 'train' ? 'trainer.Train' : 'trainer.Distill'}
    epochs: 1
    batch: ${BATCH}
    stepsPerEpoch: ${at.steps}
    optimizer: { type: sgd, lr: 0.01, momentum: 0.937, nesterov: true, weightDecay: 0.0005, implementation: ${c.optimizer} }
    schedule: { warmupEpochs: 0 }
    clipNorm: 10
${c.workers ? `    workers: ${c.workers}\n` : ''}    validate: { every: 0 }
    logEvery: 1
${c.kind === 'distill' ? DISTILL_LOSSES : ''}`;
}
