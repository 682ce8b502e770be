import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic, type DatasetSource, type DetectionModel, type ExportArtifact, type OnnxSessionFactory } from '@yolo-distill/core';
import { withExtraOutputs, parseOnnxModel } from '@yolo-distill/yolo';
import { exportMetadata, type ExportProvenance } from './export-metadata.js';
import { EXPORT_PACKAGE_VERSION } from './package-version.js';
import { buildOnnxModel, type OnnxOpset, type OnnxOutputMode } from './onnx/build-onnx-model.js';
import type { NmsSettings } from './onnx/nms-head.js';
import { upToPluginInputs } from './onnx/up-to-plugin-inputs.js';
import { checkParity, type ParityReport } from './parity/check-parity.js';
import { ParityError } from './parity/parity-error.js';
import { parityImages } from './parity/parity-images.js';

export interface OnnxExportRequest {
  /** The file to write (`.onnx`); its parity report goes beside it as `<file>.parity.json`. */
  readonly out: string;
  readonly opset: OnnxOpset;
  readonly dynamic: boolean;
  readonly output: OnnxOutputMode;
  /** `[height, width]`; the data's image size by default. */
  readonly imageSize?: readonly [number, number];
  readonly nms: NmsSettings;
  /** Images the parity check runs (from the data's val split). */
  readonly parityImages: number;
  readonly provenance: ExportProvenance;
}

export interface OnnxExportServices {
  readonly data: DatasetSource;
  readonly sessions: OnnxSessionFactory;
}

export interface OnnxExportResult extends ExportArtifact {
  readonly file: string;
  readonly parityFile: string;
  readonly report: ParityReport;
}

/**
 * Writes a model as ONNX (see `buildOnnxModel`) and proves it: the bytes go to a temporary file beside
 * `out`, onnxruntime opens that file and runs it on a batch of the data's images, every output is
 * compared with the tfjs model's; only when all pass is the report saved and the file renamed to
 * `out`. A failure removes the temporary file and throws a `ParityError` naming the worst output.
 */
export async function exportOnnx(model: DetectionModel, request: OnnxExportRequest, services: OnnxExportServices): Promise<OnnxExportResult> {
  const size = request.imageSize ?? [services.data.imageSize, services.data.imageSize];
  const batch = request.dynamic ? 'dynamic' : 1;
  const metadata = exportMetadata({ model, classNames: services.data.classNames, imageSize: size, batch, output: request.output, version: EXPORT_PACKAGE_VERSION, provenance: request.provenance });
  if (services.data.classNames.length !== model.numClasses) {
    throw new Error(`${model.name} has ${model.numClasses} classes but the data ${services.data.name} names ${services.data.classNames.length}`);
  }
  const built = buildOnnxModel(model, { opset: request.opset, imageSize: size, dynamic: request.dynamic, output: request.output, nms: request.nms, metadata, producerVersion: EXPORT_PACKAGE_VERSION });
  const images = await parityImages(services.data, request.parityImages, size);
  const temporary = join(dirname(request.out), `.${basename(request.out)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, built.bytes, { flush: true }).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`${request.out}: cannot write the export (${error.code === 'ENOENT' ? 'its folder does not exist' : error.message})`);
    });
    // The parity session reads the file as written; with NMS it also returns the decoded tensor before it.
    // With EfficientNMS_TRT (TensorRT only) it runs the written graph up to the plugin's inputs instead.
    const checked = built.pluginInputs
      ? upToPluginInputs(parseOnnxModel(await readFile(temporary), temporary), built.pluginInputs.map((o) => o.name))
      : built.decodedTensor
        ? withExtraOutputs(parseOnnxModel(await readFile(temporary), temporary), [built.decodedTensor])
        : temporary;
    const session = await services.sessions.create(checked, { executionProviders: ['cpu'], graphOptimization: 'disabled' });
    let report: ParityReport;
    try {
      report = await checkParity(session, model, built, images, request.nms);
    } finally {
      await session.release();
    }
    report = { ...report, file: request.out };
    if (!report.passed) throw new ParityError(report, request.out);
    const parityFile = `${request.out}.parity.json`;
    await writeFileAtomic(parityFile, `${JSON.stringify(report, null, 2)}\n`);
    await rename(temporary, request.out);
    return { format: 'onnx', file: request.out, parityFile, files: [request.out, parityFile], report, parity: { maxAbsError: report.worst.maxAbsError, passed: true } };
  } finally {
    tf.dispose(images.images);
    await rm(temporary, { force: true });
  }
}
