import { basename, resolve } from 'node:path';
import type { OnnxSession, OnnxSessionFactory, OnnxSessionOptions } from '@yolo-distill/core';
import { closestNames } from '../onnx/close-names.js';
import { withExtraOutputs } from '../onnx/onnx-graph-edit.js';
import { readOnnxModel, type OnnxModelFile, type OnnxValueInfo } from '../onnx/onnx-model.js';
import type { DetectHeadLayout } from './detect-head-layout.js';
import { findDetectHead } from './find-detect-head.js';
import { headDecoder } from './head-decoder.js';
import { namedHead, type NamedHeadTensors } from './named-head.js';
import { OnnxTeacher } from './onnx-teacher.js';

export interface OnnxTeacherOptions {
  /** Tap name -> ONNX tensor name: adds taps (`backbone.4: /model.4/cv3/act/Mul_output_0`) or replaces a found `neck.k`. */
  readonly taps?: Readonly<Record<string, string>>;
  /** The raw head tensors by name, for exports whose Detect is not found by its names; needs `classes`, and `taps` for features. */
  readonly head?: NamedHeadTensors;
  /** The class count; checked against the graph, and needed when it cannot tell (anchor-based without `names` metadata). */
  readonly classes?: number;
  /** Options for the session (execution providers, threads, graph optimisation); the factory's defaults otherwise. */
  readonly session?: OnnxSessionOptions;
}

/**
 * A frozen teacher from an Ultralytics ONNX export (v3/v5/v7 anchor-based, v8/v11 anchor-free): reads
 * the file, finds the Detect head and the maps entering it (`neck.0..k`), adds them as graph outputs
 * and opens a session of the edited graph. Errors name the file.
 */
export async function createOnnxTeacher(file: string, sessions: OnnxSessionFactory, options: OnnxTeacherOptions = {}): Promise<OnnxTeacher> {
  const path = resolve(file);
  const model = await readOnnxModel(path);
  const input = imageInput(model);
  const head = headLayout(model, options);
  const taps: Record<string, string> = {};
  head.levels.forEach((level, i) => {
    if (level.feature !== undefined) taps[`neck.${i}`] = level.feature;
  });
  Object.assign(taps, options.taps ?? {});
  for (const [tap, tensor] of Object.entries(taps)) requireTensor(model, tensor, `tap '${tap}'`);
  head.levels.forEach((level, i) => level.outputs.forEach((tensor) => requireTensor(model, tensor, `head level ${i}`)));
  const bytes = withExtraOutputs(model, [...head.levels.flatMap((level) => level.outputs), ...Object.values(taps)]);
  const session = await openSession(sessions, bytes, path, options.session);
  const decoder = headDecoder(head, input, model.metadata);
  return new OnnxTeacher({ file: path, name: basename(path), head, taps, input, session, ...(decoder ? { decoder } : {}) });
}

function headLayout(model: OnnxModelFile, options: OnnxTeacherOptions): DetectHeadLayout {
  if (!options.head) return findDetectHead(model, options.classes);
  if (options.classes === undefined) throw new Error(`${model.source}: a head named by its tensors needs 'classes'`);
  if (options.head.length === 0) throw new Error(`${model.source}: 'head' names no tensors`);
  return namedHead(options.head, options.classes);
}

function imageInput(model: OnnxModelFile): OnnxValueInfo {
  const [input, ...more] = model.inputs;
  if (!input) throw new Error(`${model.source}: the graph has no input`);
  if (more.length > 0) throw new Error(`${model.source}: the graph has ${model.inputs.length} inputs (${model.inputs.map((value) => value.name).join(', ')}); a YOLO export has one, the images`);
  if (input.elemType !== 'float32') throw new Error(`${model.source}: the input '${input.name}' is ${input.elemType}; only float32 inputs are supported (export without half=True)`);
  return input;
}

function requireTensor(model: OnnxModelFile, tensor: string, what: string): void {
  if (model.producerOf(tensor) || model.outputs.some((output) => output.name === tensor)) return;
  const produced = model.nodes.flatMap((node) => node.outputs).filter((output) => output);
  throw new Error(`${model.source}: ${what}: no node outputs tensor '${tensor}' (closest: ${closestNames(tensor, produced).join(', ')})`);
}

async function openSession(sessions: OnnxSessionFactory, bytes: Uint8Array, path: string, options: OnnxSessionOptions | undefined): Promise<OnnxSession> {
  try {
    return await sessions.create(bytes, options);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}
