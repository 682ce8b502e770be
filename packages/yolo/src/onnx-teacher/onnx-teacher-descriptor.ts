import { z } from 'zod';
import { ONNX_SESSIONS, parseWith, type PluginDescriptor, type Teacher } from '@yolo-distill/core';
import { createOnnxTeacher } from './create-onnx-teacher.js';
import type { NamedHeadTensors } from './named-head.js';

export interface OnnxTeacherConfig {
  /** The ONNX export (relative paths from the working folder). */
  readonly file: string;
  /** Tap name -> ONNX tensor name, added to (or replacing) the found `neck.0..k`. */
  readonly taps?: Readonly<Record<string, string>>;
  /** The raw head tensors by name, for exports whose Detect cannot be found; needs `classes`. */
  readonly head?: NamedHeadTensors;
  readonly classes?: number;
  /**
   * Where onnxruntime runs: `worker` (the default), its own worker_thread, so that the student's step
   * overlaps the teacher's forward for the next batch in trainer.Distill; `caller`, on the JS thread.
   */
  readonly thread?: 'worker' | 'caller';
  /** onnxruntime's intra-op threads (default: the session factory's). */
  readonly threads?: number;
}

const tensorName = z.string().min(1);
const schema = z.strictObject({
  file: z.string().min(1),
  taps: z.record(z.string().min(1), tensorName).optional(),
  head: z
    .union([z.array(tensorName).min(1), z.array(z.tuple([tensorName, tensorName])).min(1)], {
      error: 'expected one tensor name per level (anchor-based) or one [box tensor, class tensor] pair per level (anchor-free)',
    })
    .optional(),
  classes: z.int().positive().optional(),
  thread: z.enum(['worker', 'caller']).optional(),
  threads: z.int().positive().optional(),
});

/**
 * `onnx.Teacher`: a frozen teacher run by onnxruntime from an Ultralytics ONNX export, with the raw
 * head maps and P3..P5 (`neck.0..k`) read as extra graph outputs.
 *
 * ```yaml
 * teacher: { type: onnx.Teacher, file: yolov5l.onnx }
 * teacher: { type: onnx.Teacher, file: yolov8s.onnx, taps: { backbone.4: /model.4/cv2/act/Mul_output_0 } }
 * teacher: { type: onnx.Teacher, file: yolov5l.onnx, thread: caller, threads: 2 }
 * ```
 */
export const onnxTeacher: PluginDescriptor<OnnxTeacherConfig, Teacher> = {
  type: 'onnx.Teacher',
  kind: 'teacher',
  summary: 'a frozen teacher from an Ultralytics ONNX export, run by onnxruntime (raw head and P3-P5 read from the graph)',
  schema,
  parse: (raw, at) => {
    const config = parseWith(schema, raw, at) as OnnxTeacherConfig;
    if (config.head && config.classes === undefined) throw at.error("a head named by its tensors ('head') needs 'classes' too", 'key');
    return config;
  },
  create: async (config, { container }) => {
    if (!container.isRegistered(ONNX_SESSIONS, true)) throw new Error('no ONNX session factory in the run (the CLI registers one; a test must register ONNX_SESSIONS)');
    const { file, thread, threads, ...options } = config;
    const session = { worker: thread !== 'caller', ...(threads === undefined ? {} : { intraOpThreads: threads }) };
    return createOnnxTeacher(file, container.resolve(ONNX_SESSIONS), { ...options, session });
  },
};
