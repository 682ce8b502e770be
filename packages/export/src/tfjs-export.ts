import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { DatasetSource, DetectionModel, ExportArtifact } from '@yolo-distill/core';
import { exportMetadata, type ExportProvenance } from './export-metadata.js';
import { EXPORT_PACKAGE_VERSION } from './package-version.js';
import type { ParityReport } from './parity/check-parity.js';
import { ParityError } from './parity/parity-error.js';
import { parityImages } from './parity/parity-images.js';
import { buildTfjsGraph, type TfjsOutputMode } from './tfjs/build-tfjs-graph.js';
import { checkGraphParity } from './tfjs/check-graph-parity.js';
import { graphModelFiles, loadTfjsExport, SHARD_BYTES } from './tfjs/graph-model-files.js';

export interface TfjsExportRequest {
  /** The folder to write: `model.json`, `group1-shard<i>of<n>.bin` and `parity.json`. */
  readonly out: string;
  readonly dynamic: boolean;
  readonly output: TfjsOutputMode;
  /** `[height, width]`; the data's image size by default. */
  readonly imageSize?: readonly [number, number];
  readonly parityImages: number;
  readonly provenance: ExportProvenance;
  /** Bytes per weight shard; default 4 MiB. */
  readonly shardBytes?: number;
}

export interface TfjsExportResult extends ExportArtifact {
  /** The export folder. */
  readonly folder: string;
  /** Its model.json. */
  readonly file: string;
  readonly parityFile: string;
  readonly report: ParityReport;
}

/** The name of the model file inside an export folder. */
export const TFJS_MODEL_FILE = 'model.json';

async function kindOf(path: string): Promise<'none' | 'export' | 'other'> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 'none';
  if (!info.isDirectory()) return 'other';
  return (await stat(join(path, TFJS_MODEL_FILE)).catch(() => undefined))?.isFile() ? 'export' : 'other';
}

/**
 * Writes a model as a TF.js graph model (see `buildTfjsGraph`) and proves it: the folder is written
 * under a temporary name beside `out`, `tf.loadGraphModel` loads it from there, runs it on a batch of
 * the data's images and every output is compared with the tfjs model's; only when all pass is the
 * report saved in it (`parity.json`) and the folder renamed to `out` (a previous export there is
 * replaced; anything else there is refused). A failure removes the temporary folder and throws a
 * `ParityError` naming the worst output.
 */
export async function exportTfjsGraph(model: DetectionModel, request: TfjsExportRequest, services: { readonly data: DatasetSource }): Promise<TfjsExportResult> {
  const size = request.imageSize ?? [services.data.imageSize, services.data.imageSize];
  if (services.data.classNames.length !== model.numClasses) {
    throw new Error(`${model.name} has ${model.numClasses} classes but the data ${services.data.name} names ${services.data.classNames.length}`);
  }
  if ((await kindOf(request.out)) === 'other') throw new Error(`${request.out}: exists and is not a TF.js export folder (no ${TFJS_MODEL_FILE}); not replacing it`);
  const metadata = exportMetadata({ model, classNames: services.data.classNames, imageSize: size, batch: request.dynamic ? 'dynamic' : 1, output: request.output, version: EXPORT_PACKAGE_VERSION, provenance: request.provenance });
  const built = buildTfjsGraph(model, { imageSize: size, dynamic: request.dynamic, output: request.output });
  const files = graphModelFiles(built, metadata, EXPORT_PACKAGE_VERSION, request.shardBytes ?? SHARD_BYTES);
  const images = await parityImages(services.data, request.parityImages, size);
  const suffix = `${process.pid}.${randomBytes(4).toString('hex')}`;
  const temporary = join(dirname(request.out), `.${basename(request.out)}.${suffix}.tmp`);
  const previous = join(dirname(request.out), `.${basename(request.out)}.${suffix}.old`);
  try {
    await mkdir(temporary).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`${request.out}: cannot write the export (${error.code === 'ENOENT' ? 'its folder does not exist' : error.message})`);
    });
    await writeFile(join(temporary, TFJS_MODEL_FILE), `${JSON.stringify(files.modelJson)}\n`, { flush: true });
    for (const shard of files.shards) await writeFile(join(temporary, shard.name), shard.bytes, { flush: true });
    // The parity run loads the folder as written, the way a user's tf.loadGraphModel would.
    const graphModel = await loadTfjsExport(temporary);
    let report: ParityReport;
    try {
      report = { ...checkGraphParity(graphModel, temporary, model, built, images), file: join(request.out, TFJS_MODEL_FILE) };
    } finally {
      graphModel.dispose();
    }
    if (!report.passed) throw new ParityError(report, request.out);
    await writeFile(join(temporary, 'parity.json'), `${JSON.stringify(report, null, 2)}\n`, { flush: true });
    const replacing = (await kindOf(request.out)) === 'export';
    if (replacing) await rename(request.out, previous);
    try {
      await rename(temporary, request.out);
    } catch (error) {
      if (replacing) await rename(previous, request.out);
      throw error;
    }
    if (replacing) await rm(previous, { recursive: true, force: true });
    const written = [TFJS_MODEL_FILE, ...files.shards.map((s) => s.name), 'parity.json'].map((name) => join(request.out, name));
    return {
      format: 'tfjs',
      folder: request.out,
      file: join(request.out, TFJS_MODEL_FILE),
      parityFile: join(request.out, 'parity.json'),
      files: written,
      report,
      parity: { maxAbsError: report.worst.maxAbsError, passed: true },
    };
  } finally {
    tf.dispose(images.images);
    await rm(temporary, { recursive: true, force: true });
  }
}
