import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { inject, injectable, type InjectionToken } from 'tsyringe';
import { z } from 'zod';
import { ONNX_SESSIONS, parseWith, type OnnxSessionFactory, type PluginDescriptor, type Stage, type StageContext } from '@yolo-distill/core';
import { readOnnxModel, writeOnnxModel } from '@yolo-distill/yolo';
import { CALIBRATION_METHODS } from '../calibration/calibrators.js';
import { datasetCalibrationImages } from '../calibration/dataset-images.js';
import { LEARNED_RANGES_FILE, readLearnedRanges } from '../fake-quant/learned-ranges-file.js';
import { DECODE_TAIL } from '../qdq/quantizable-convs.js';
import { quantizeOnnx } from '../quantize-onnx.js';
import { compareWithFloat } from './compare-with-float.js';

const schema = z.strictObject({
  onnx: z.string().min(1).optional().describe('the FP32 model; default what export.Onnx wrote: <run folder>/export/<student>.onnx'),
  out: z.string().min(1).optional().describe('the INT8 file; default beside the FP32 one: <name>.int8-<method>.onnx (method fake-quant for learned ranges, -qlinear added with quantizeOutputs)'),
  calibration: z
    .strictObject({
      /** minmax: onnxruntime's default, and the best of the three on the benchmark (docs/benchmarks/int8.md). */
      method: z.enum(CALIBRATION_METHODS).default('minmax'),
      images: z.int().positive().default(128),
      percentile: z.number().gt(50).max(100).default(99.99),
      split: z.enum(['train', 'val']).default('train'),
      bins: z.int().min(256).default(2048),
    })
    .prefault({})
    .describe("method minmax (default), percentile (99.99) or entropy (KL, TensorRT's); images of split (train), histogram bins"),
  symmetric: z.boolean().default(false).describe("symmetric int8 activations (TensorRT) instead of asymmetric uint8 (onnxruntime's default)"),
  keepFloat: z.array(z.string().min(1)).default([DECODE_TAIL]).describe('convs left float: decode-tail and/or regular expressions over ONNX node names'),
  ranges: z.enum(['calibrate', 'fake-quant']).default('calibrate').describe('calibrate: from the calibration images; fake-quant: the ranges a quantize.FakeQuant stage learned'),
  rangesFile: z.string().min(1).optional().describe("with ranges: fake-quant, the ranges file; default this run's quantize/fake-quant-ranges.json (another run's, to requantize its export)"),
  quantizeOutputs: z.boolean().default(false).describe('also quantize conv outputs and biases (int32), so onnxruntime runs QLinearConv: faster there, one more rounding per layer'),
  compareImages: z.int().min(0).default(4).describe("val images on which the INT8 outputs are compared with the FP32 model's"),
});

export type Int8Config = z.output<typeof schema>;
export const INT8_CONFIG: InjectionToken<Int8Config> = Symbol.for('yolo-distill.QuantizeInt8Config');

/** `quantize.Int8`: post-training INT8 of the FP32 ONNX the pipeline exported, as a QDQ ONNX model. */
@injectable()
export class Int8Stage implements Stage {
  readonly name = 'quantize.Int8';

  constructor(
    @inject(INT8_CONFIG) private readonly config: Int8Config,
    @inject(ONNX_SESSIONS) private readonly sessions: OnnxSessionFactory,
  ) {}

  async run(context: StageContext): Promise<void> {
    const { data, student } = context.models;
    const c = this.config;
    if (!data) throw new Error('quantize.Int8: calibration needs the pipeline\'s data (a "data:" entry)');
    const source = c.onnx ?? (student ? context.folder.path('export', `${student.name}.onnx`) : undefined);
    if (!source) throw new Error('quantize.Int8: no onnx: given and no student whose export to read');
    const model = await readOnnxModel(source).catch((error: Error) => {
      throw new Error(`quantize.Int8: ${error.message}${c.onnx ? '' : ' (put an export.Onnx stage before this one, or give onnx:)'}`);
    });
    await data.prepare();
    const learned = c.ranges === 'fake-quant' ? await readLearnedRanges(c.rangesFile ?? context.folder.path(LEARNED_RANGES_FILE)) : undefined;
    const result = await quantizeOnnx(model, {
      images: datasetCalibrationImages(data, c.calibration.images, c.calibration.split),
      sessions: this.sessions,
      method: c.calibration.method,
      percentile: c.calibration.percentile,
      bins: c.calibration.bins,
      symmetric: c.symmetric,
      keepFloat: c.keepFloat,
      quantizeOutputs: c.quantizeOutputs,
      ...(learned ? { learnedRanges: learned.ranges } : {}),
    });
    const out = c.out ?? join(dirname(source), `${basename(source, '.onnx')}.int8-${c.ranges === 'fake-quant' ? 'fake-quant' : c.calibration.method}${c.quantizeOutputs ? '-qlinear' : ''}.onnx`);
    await mkdir(dirname(out), { recursive: true });
    const comparison = await compareWithFloat(source, result.bytes, datasetCalibrationImages(data, c.compareImages, 'val'), this.sessions);
    await writeOnnxModel(out, result.bytes);
    const sizes = { fp32: (await stat(source)).size, int8: result.bytes.length };
    const learnedCount = result.layers.filter((l) => l.activation.source === 'learned').length;
    await context.folder.writeJson(`quantize-${context.index}.json`, { source, out, sizes, comparison, options: result.options, ranges: c.ranges, layers: result.layers, kept: result.kept });
    context.logger.info(
      `quantize.Int8: wrote ${out} (${result.layers.length} conv(s) int8, ${result.kept.length} kept float; ${c.ranges === 'fake-quant' ? `${learnedCount} learned range(s), ` : ''}${c.calibration.method} on ${result.options.images} image(s)); ` +
        `${(sizes.fp32 / 1e6).toFixed(2)} MB -> ${(sizes.int8 / 1e6).toFixed(2)} MB; ${comparison.map((o) => `${o.name}: mean |int8 - fp32| / mean |fp32| ${o.meanRelativeError.toExponential(2)}`).join(', ')}`,
    );
  }
}

export const int8Stage: PluginDescriptor<Int8Config, Stage> = {
  type: 'quantize.Int8',
  kind: 'stage',
  summary: 'post-training INT8 of the exported FP32 ONNX (minmax / percentile / entropy calibration on the pipeline\'s images, per-channel int8 convs, QDQ), run in onnxruntime against the FP32 model',
  schema,
  parse: (raw, at) => {
    const config = parseWith(schema, raw, at);
    if (config.rangesFile !== undefined && config.ranges !== 'fake-quant') throw at.child('rangesFile').error('rangesFile is read with ranges: fake-quant only');
    return config;
  },
  create: (config, { container }) => {
    const scope = container.createChildContainer();
    scope.registerInstance(INT8_CONFIG, config);
    return scope.resolve(Int8Stage);
  },
};
