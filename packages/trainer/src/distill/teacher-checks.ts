import * as tf from '@tensorflow/tfjs-core';
import type { DatasetSource, DetectionModel, ImageBatch, Metric, StageContext, Teacher } from '@yolo-distill/core';
import type { GuardsConfig } from '../config/training-schema.js';
import { evaluateDetector, studentPredictor, type EvaluateOptions } from '../loop/evaluate-detector.js';
import { enforce } from './policy.js';

/** What the checks found; written next to the run's other records. */
export interface TeacherReport {
  readonly teacher: string;
  readonly student: string;
  readonly weightsSource: string | null;
  /** max |f(batch)[0] - f(image 0)| / max |f(image 0)| on the first head level. */
  readonly batchDependence: number;
  readonly teacherMetrics?: Record<string, number>;
  readonly studentMetrics?: Record<string, number>;
}

/** Beyond this, one image's outputs depend on its batch: BN is using batch statistics. */
const BATCH_DEPENDENCE_LIMIT = 1e-3;

/**
 * The guard rails run before distilling: class counts agree, the teacher's weights were loaded, it runs
 * in inference mode (an image's outputs do not depend on the rest of its batch), and it is better than
 * the student on the validation split. Each finding follows its policy in `guards`.
 */
export async function checkTeacher(
  context: StageContext,
  teacher: Teacher,
  student: DetectionModel,
  data: DatasetSource,
  metric: Metric,
  probe: ImageBatch,
  guards: GuardsConfig,
  evaluate: EvaluateOptions,
): Promise<TeacherReport> {
  const where = `trainer.Distill (teacher ${teacher.name}, student ${student.name})`;
  if (teacher.numClasses !== student.numClasses) {
    throw new Error(`${where}: the teacher predicts ${teacher.numClasses} classes, the student ${student.numClasses}; they must be trained on the same classes`);
  }
  if (teacher.weightsSource === undefined) {
    enforce(guards.untrainedTeacher, `${where}: the teacher's weights were never loaded (freshly initialised); give it 'weights:' (an .onnx export or a checkpoint folder)`, 'guards.untrainedTeacher', context.logger);
  }
  const batchDependence = await measureBatchDependence(teacher, probe);
  if (batchDependence > BATCH_DEPENDENCE_LIMIT) {
    enforce(
      guards.teacherInTrainingMode,
      `${where}: the teacher's output for one image changes with the rest of its batch (relative difference ${batchDependence.toExponential(2)}): it runs in training mode (batch statistics in BN)`,
      'guards.teacherInTrainingMode',
      context.logger,
    );
  }
  const report: { -readonly [K in keyof TeacherReport]: TeacherReport[K] } = {
    teacher: teacher.name,
    student: student.name,
    weightsSource: teacher.weightsSource ?? null,
    batchDependence,
  };
  if (guards.compareTeacher) {
    const decode = teacher.decode?.bind(teacher);
    if (!decode) {
      context.logger.warn(`!!! ${where}: the teacher cannot decode its outputs, so its mAP cannot be checked against the student's`);
    } else {
      report.teacherMetrics = await evaluateDetector(async (images) => {
        const output = await teacher.forward(images, []);
        try {
          return decode(output);
        } finally {
          tf.dispose([...output.head, ...Object.values(output.features)]);
        }
      }, data, metric, evaluate);
      report.studentMetrics = await evaluateDetector(studentPredictor(student), data, metric, evaluate);
      for (const [who, values] of [['teacher', report.teacherMetrics], ['student', report.studentMetrics]] as const) {
        for (const name of ['map50', 'map', 'fitness']) context.events.emit({ type: 'metric', stage: context.index, name: `before.${who}.${name}`, value: values[name] ?? 0 });
      }
      const t = report.teacherMetrics;
      const s = report.studentMetrics;
      context.logger.info(`teacher ${teacher.name}: mAP50 ${fmt(t['map50'])} mAP50-95 ${fmt(t['map'])}; student ${student.name} before: mAP50 ${fmt(s['map50'])} mAP50-95 ${fmt(s['map'])}`);
      if ((t['fitness'] ?? 0) <= (s['fitness'] ?? 0)) {
        enforce(
          guards.weakTeacher,
          `${where}: the teacher (mAP50 ${fmt(t['map50'])}, mAP50-95 ${fmt(t['map'])}) is not better than the student (mAP50 ${fmt(s['map50'])}, mAP50-95 ${fmt(s['map'])}) on the validation split; distilling from it would pull the student towards worse predictions`,
          'guards.weakTeacher',
          context.logger,
        );
      }
    }
  }
  return report;
}

function fmt(value: number | undefined): string {
  return (value ?? 0).toFixed(4);
}

/** Runs the probe batch whole and its first image alone, and compares the first head level of image 0. */
export async function measureBatchDependence(teacher: Teacher, probe: ImageBatch): Promise<number> {
  if (probe.shape[0] < 2) return 0;
  const images = tf.tensor4d(probe.images, [...probe.shape]);
  const first = tf.slice(images, [0, 0, 0, 0], [1, -1, -1, -1]);
  const whole = await teacher.forward(images, []);
  const alone = await teacher.forward(first, []);
  try {
    return tf.tidy(() => {
      const a = whole.head[0] as tf.Tensor;
      const b = alone.head[0] as tf.Tensor;
      const a0 = tf.slice(a, new Array(a.rank).fill(0), [1, ...a.shape.slice(1)]);
      const diff = tf.max(tf.abs(tf.sub(a0, b))).dataSync()[0] as number;
      const scale = Math.max(tf.max(tf.abs(b)).dataSync()[0] as number, 1e-6);
      return diff / scale;
    });
  } finally {
    tf.dispose([images, first, ...whole.head, ...Object.values(whole.features), ...alone.head, ...Object.values(alone.features)]);
  }
}
