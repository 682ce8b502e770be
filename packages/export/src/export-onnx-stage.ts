import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { inject, injectable, type InjectionToken } from 'tsyringe';
import { z } from 'zod';
import { ONNX_SESSIONS, parseWith, RUN_INFO, type OnnxSessionFactory, type PluginDescriptor, type RunInfo, type Stage, type StageContext } from '@yolo-distill/core';
import { exportOnnx, type OnnxExportRequest } from './onnx-export.js';
import { formatParity } from './parity/check-parity.js';
import { ONNX_OPSETS } from './onnx/build-onnx-model.js';
import { DEFAULT_NMS } from './nms-defaults.js';

const nmsSchema = z.strictObject({
  conf: z.number().min(0).max(1).default(DEFAULT_NMS.confThreshold),
  iou: z.number().min(0).max(1).default(DEFAULT_NMS.iouThreshold),
  maxDetections: z.int().positive().default(DEFAULT_NMS.maxDetections),
  /** `onnx`: ONNX NonMaxSuppression (runs anywhere); `trt`: TensorRT's EfficientNMS_TRT plugin (runs in TensorRT only). */
  kind: z.enum(['onnx', 'trt']).default('onnx'),
});

const schema = z.strictObject({
  opset: z.union(ONNX_OPSETS.map((opset) => z.literal(opset)) as [z.ZodLiteral<13>, z.ZodLiteral<17>]).default(13),
  dynamic: z.boolean().default(false),
  raw: z.boolean().default(false),
  nms: z.union([z.boolean(), nmsSchema]).default(false),
  /** The file to write; default `<run folder>/export/<model>.onnx`. */
  out: z.string().min(1).optional(),
  imgsz: z.int().positive().optional(),
  parityImages: z.int().positive().default(4),
  /** Always on; accepted so that `verify: true` reads as it does in other tools. */
  verify: z.literal(true).optional(),
});

export type ExportOnnxConfig = z.output<typeof schema>;

/** The parsed config of one `export.Onnx` stage, registered for its class. */
export const EXPORT_ONNX_CONFIG: InjectionToken<ExportOnnxConfig> = Symbol.for('yolo-distill.ExportOnnxConfig');

/** `export.Onnx`: writes the pipeline's student as ONNX and checks it against the tfjs model on the pipeline's data. */
@injectable()
export class ExportOnnxStage implements Stage {
  readonly name = 'export.Onnx';

  constructor(
    @inject(EXPORT_ONNX_CONFIG) private readonly config: ExportOnnxConfig,
    @inject(ONNX_SESSIONS) private readonly sessions: OnnxSessionFactory,
    @inject(RUN_INFO) private readonly info: RunInfo,
  ) {}

  async run(context: StageContext): Promise<void> {
    const { student, data } = context.models;
    if (!student) throw new Error('export.Onnx: the pipeline has no student to export');
    if (!data) throw new Error('export.Onnx: the parity check needs the pipeline\'s data (a "data:" entry)');
    const c = this.config;
    const out = c.out ?? context.folder.path('export', `${student.name}.onnx`);
    await mkdir(dirname(out), { recursive: true });
    const nms = typeof c.nms === 'object' ? { confThreshold: c.nms.conf, iouThreshold: c.nms.iou, maxDetections: c.nms.maxDetections } : DEFAULT_NMS;
    const request: OnnxExportRequest = {
      out,
      opset: c.opset,
      dynamic: c.dynamic,
      output: c.nms === false ? (c.raw ? 'raw' : 'decoded') : typeof c.nms === 'object' && c.nms.kind === 'trt' ? 'efficient-nms' : 'nms',
      ...(c.imgsz !== undefined ? { imageSize: [c.imgsz, c.imgsz] as const } : {}),
      nms,
      parityImages: c.parityImages,
      provenance: { pipeline: this.info.name, ...(student.weightsSource ? { checkpoint: student.weightsSource } : {}) },
    };
    const result = await exportOnnx(student, request, { data, sessions: this.sessions });
    context.logger.info(`export.Onnx: wrote ${result.file}\n${formatParity(result.report).trimEnd()}`);
  }
}

export const exportOnnxStage: PluginDescriptor<ExportOnnxConfig, Stage> = {
  type: 'export.Onnx',
  kind: 'stage',
  summary: "the student as ONNX (opset 13/17, decode or raw head or NMS in the graph: ONNX NonMaxSuppression or TensorRT's EfficientNMS_TRT), checked against the tfjs model in onnxruntime on the pipeline's images",
  schema,
  parse: (raw, at) => {
    // A mapping under nms: validated on its own first, so an error names the key (a union only says "invalid").
    const nms = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['nms'] : undefined;
    if (typeof nms === 'object' && nms !== null) parseWith(nmsSchema, nms, at.child('nms'));
    const config = parseWith(schema, raw, at);
    if (config.raw && config.nms !== false) throw at.child('nms').error('nms needs the decoded head; it cannot be combined with raw: true');
    return config;
  },
  create: (config, { container }) => {
    const scope = container.createChildContainer();
    scope.registerInstance(EXPORT_ONNX_CONFIG, config);
    return scope.resolve(ExportOnnxStage);
  },
};
