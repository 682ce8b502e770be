import type { DatasetSource } from './dataset-source.js';
import type { DetectionModel } from './detection-model.js';

/** Removes channels from a model; returns the smaller model and what was removed. */
export interface Pruner {
  prune(model: DetectionModel, data: DatasetSource): Promise<{ model: DetectionModel; removedChannels: Record<string, number> }>;
}

/** A model prepared for or converted to integer arithmetic. */
export interface QuantizedModel {
  readonly format: 'fake-quant' | 'qdq-onnx';
  readonly path?: string;
  readonly scales: Readonly<Record<string, number>>;
}

/** Calibrates and quantizes a model (INT8 PTQ) or inserts fake-quant for QAT. */
export interface Quantizer {
  quantize(model: DetectionModel, calibration: DatasetSource): Promise<QuantizedModel>;
}

/** What an export wrote, and whether its outputs matched the source model. */
export interface ExportArtifact {
  readonly format: string;
  readonly files: readonly string[];
  readonly parity?: { readonly maxAbsError: number; readonly passed: boolean };
}

/** Writes a model in a deployable format. */
export interface Exporter {
  readonly format: string;
  export(model: DetectionModel, outDir: string): Promise<ExportArtifact>;
}
