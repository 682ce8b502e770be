import { compareStageKeys, dataYaml, FULL_PLAN, V8N_STUDENT, type AssetPlan, type Plan } from '../distill/plan.js';

/**
 * The INT8 benchmark on the distillation benchmark's fine shapes set (its data settings and committed
 * assets): per model, one PTQ run (the FP32 export, then quantize.Int8 with each calibrator) and one
 * quantization-aware distillation run (trainer.Distill with quantize.FakeQuant from the converged
 * student, the distillation benchmark's best recipe, then the export and quantize.Int8 with the
 * learned ranges); `kd-fp32` is the same distillation without fake quantization, the float reference
 * of the QAT-KD model.
 */
export const PLAN: Plan = FULL_PLAN;
export const CALIBRATORS = ['minmax', 'percentile', 'entropy'] as const;
export const CALIBRATION_IMAGES = 256;
export const QAT = { epochs: 4, freezeAfter: 2, seed: 1 };

export interface ModelPlan {
  readonly id: 'v5n' | 'v8n';
  readonly adapter: string;
  readonly scale: string;
  /** The converged student (under benchmarks/assets/): committed for v5n; v8n's is trained first when missing. */
  readonly asset: AssetPlan;
  /** The QAT-KD teacher (an asset under benchmarks/assets/). */
  readonly teacher: { readonly adapter: string; readonly scale: string; readonly asset: string };
}

export const MODELS: readonly ModelPlan[] = [
  { id: 'v5n', adapter: 'yolov5.Model', scale: 'n', asset: FULL_PLAN.student, teacher: { adapter: 'yolov5.Model', scale: 's', asset: FULL_PLAN.teacher.name } },
  // v8n (~70 mAP@0.5 at 13 of its 28 epochs) outgrows the v5s teacher (64.0): its teacher is its own FP32
  // model, quantization-aware self-distillation, the form NVIDIA's QAT recipes use.
  { id: 'v8n', adapter: 'yolov8.Model', scale: 'n', asset: V8N_STUDENT, teacher: { adapter: 'yolov8.Model', scale: 'n', asset: V8N_STUDENT.name } },
];

const header = (plan: Plan, dataRoot: string, seed: number) => `seed: ${seed}
backend: auto
${dataYaml(plan, dataRoot)}
`;

const int8Stage = (name: string, extra: string) => `  - { name: ${name}, type: quantize.Int8, out: ${'${RUN}'}/export/model.${name}.onnx, ${extra} }`;

/** FP32 export and PTQ with every calibrator (`${RUN}` is the run folder, filled in by the bench). */
export function ptqPipeline(plan: Plan, model: ModelPlan, dataRoot: string, assets: string): string {
  return `${header(plan, dataRoot, 0)}student: { type: ${model.adapter}, scale: ${model.scale}, weights: ${assets}/${model.asset.name} }
stages:
  - { name: fp32, type: export.Onnx, out: ${'${RUN}'}/export/model.fp32.onnx }
${CALIBRATORS.map((m) => int8Stage(`ptq-${m}`, `onnx: ${'${RUN}'}/export/model.fp32.onnx, calibration: { method: ${m}, images: ${CALIBRATION_IMAGES} }`)).join('\n')}
`;
}

/**
 * The same quantization with conv outputs and biases quantized too (`quantizeOutputs`), which
 * onnxruntime fuses into QLinearConv: for each calibrator on the PTQ run's FP32 export, and with the
 * QAT-KD run's learned ranges on its export (its conv outputs, which QAT does not observe, calibrated by
 * entropy). `${'${PTQ}'}` / `${'${QAT}'}` are those runs' folders.
 */
export function qlinearPipeline(plan: Plan, model: ModelPlan, dataRoot: string, assets: string, withQat: boolean): string {
  const ptq = CALIBRATORS.map((m) => int8Stage(`ptq-${m}-qlinear`, `onnx: ${'${PTQ}'}/export/model.fp32.onnx, quantizeOutputs: true, calibration: { method: ${m}, images: ${CALIBRATION_IMAGES} }`));
  const qat = withQat
    ? [int8Stage('qat-kd-qlinear', `onnx: ${'${QAT}'}/export/model.fp32.onnx, quantizeOutputs: true, ranges: fake-quant, rangesFile: ${'${QAT}'}/quantize/fake-quant-ranges.json, calibration: { method: entropy, images: ${CALIBRATION_IMAGES} }`)]
    : [];
  return `${header(plan, dataRoot, 0)}student: { type: ${model.adapter}, scale: ${model.scale}, weights: ${assets}/${model.asset.name} }
stages:
${[...ptq, ...qat].join('\n')}
`;
}

/**
 * Distillation (the class part of the head term, relative 0.5: the distillation benchmark's best) with
 * or without fake quantization; `distill: false` keeps the stage and the teacher but weighs the term 0
 * (labels only: QAT without distillation, to tell the two apart).
 */
export function distillPipeline(plan: Plan, model: ModelPlan, dataRoot: string, assets: string, fakeQuant: boolean, distill = true): string {
  const transform = fakeQuant ? `\n    transform: { type: quantize.FakeQuant, freezeAfter: ${QAT.freezeAfter} }` : '';
  const quantize = fakeQuant
    ? `\n${int8Stage(distill ? 'qat-kd' : 'qat-labels', `onnx: ${'${RUN}'}/export/model.fp32.onnx, ranges: fake-quant, calibration: { images: ${CALIBRATION_IMAGES} }`)}`
    : '';
  const weight = distill ? '{ relative: 0.5 }' : '0';
  return `${header(plan, dataRoot, QAT.seed)}teacher: { type: ${model.teacher.adapter}, scale: ${model.teacher.scale}, weights: ${assets}/${model.teacher.asset} }
student: { type: ${model.adapter}, scale: ${model.scale}, weights: ${assets}/${model.asset.name} }
stages:
  - name: train
    type: trainer.Distill
${compareStageKeys(plan, QAT.epochs)}
    guards: { weakTeacher: ${plan.weakTeacher}, compareTeacher: false }${transform}
    losses:
      - { type: losses.DecoupledHead, objWeight: 0, boxWeight: 0, weight: ${weight} }
  - { name: fp32, type: export.Onnx, out: ${'${RUN}'}/export/model.fp32.onnx }${quantize}
`;
}

