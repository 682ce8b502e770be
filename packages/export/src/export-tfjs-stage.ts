import { dirname } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { inject, injectable, type InjectionToken } from 'tsyringe';
import { z } from 'zod';
import { parseWith, RUN_INFO, type PluginDescriptor, type RunInfo, type Stage, type StageContext } from '@yolo-distill/core';
import { formatParity } from './parity/check-parity.js';
import { exportTfjsGraph, type TfjsExportRequest } from './tfjs-export.js';

const schema = z.strictObject({
  dynamic: z.boolean().default(false),
  raw: z.boolean().default(false),
  /** The folder to write; default `<run folder>/export/<model>_web_model` (Ultralytics' name). */
  out: z.string().min(1).optional(),
  imgsz: z.int().positive().optional(),
  parityImages: z.int().positive().default(4),
  /** Always on; accepted so that `verify: true` reads as it does in other tools. */
  verify: z.literal(true).optional(),
});

export type ExportTfjsConfig = z.output<typeof schema>;

/** The parsed config of one `export.TfjsGraph` stage, registered for its class. */
export const EXPORT_TFJS_CONFIG: InjectionToken<ExportTfjsConfig> = Symbol.for('yolo-distill.ExportTfjsConfig');

/** `export.TfjsGraph`: writes the pipeline's student as a TF.js graph model and checks it against the tfjs model on the pipeline's data. */
@injectable()
export class ExportTfjsStage implements Stage {
  readonly name = 'export.TfjsGraph';

  constructor(
    @inject(EXPORT_TFJS_CONFIG) private readonly config: ExportTfjsConfig,
    @inject(RUN_INFO) private readonly info: RunInfo,
  ) {}

  async run(context: StageContext): Promise<void> {
    const { student, data } = context.models;
    if (!student) throw new Error('export.TfjsGraph: the pipeline has no student to export');
    if (!data) throw new Error('export.TfjsGraph: the parity check needs the pipeline\'s data (a "data:" entry)');
    const c = this.config;
    const out = c.out ?? context.folder.path('export', `${student.name}_web_model`);
    await mkdir(dirname(out), { recursive: true });
    const request: TfjsExportRequest = {
      out,
      dynamic: c.dynamic,
      output: c.raw ? 'raw' : 'decoded',
      ...(c.imgsz !== undefined ? { imageSize: [c.imgsz, c.imgsz] as const } : {}),
      parityImages: c.parityImages,
      provenance: { pipeline: this.info.name, ...(student.weightsSource ? { checkpoint: student.weightsSource } : {}) },
    };
    const result = await exportTfjsGraph(student, request, { data });
    context.logger.info(`export.TfjsGraph: wrote ${result.file}\n${formatParity(result.report).trimEnd()}`);
  }
}

export const exportTfjsStage: PluginDescriptor<ExportTfjsConfig, Stage> = {
  type: 'export.TfjsGraph',
  kind: 'stage',
  summary: "the student as a TF.js graph model (model.json + 4 MB shards, decode or raw head), loaded back with tf.loadGraphModel and checked against the tfjs model on the pipeline's images",
  schema: schema,
  parse: (raw, at) => parseWith(schema, raw, at),
  create: (config, { container }) => {
    const scope = container.createChildContainer();
    scope.registerInstance(EXPORT_TFJS_CONFIG, config);
    return scope.resolve(ExportTfjsStage);
  },
};
