import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Split } from '@yolo-distill/core';
import { parse, stringify } from 'yaml';

/** The dataset description Ultralytics reads: `path`, split folders relative to it, `nc`, `names`. */
export interface DataYaml {
  readonly path: string;
  readonly train: string;
  readonly val: string;
  readonly names: readonly string[];
}

/** `data.yaml` text: path, train, val, nc, names (a list, in class order). */
export function formatDataYaml(data: DataYaml): string {
  return stringify({ path: data.path, train: data.train, val: data.val, nc: data.names.length, names: [...data.names] });
}

/** A `data.yaml` as read: the dataset root, class names and, per split present, the absolute images folder. */
export interface DataYamlInfo {
  /** The YAML file. */
  readonly file: string;
  /** The dataset root: `path` (absolute, or relative to the YAML's folder), else the YAML's folder. */
  readonly root: string;
  readonly names: readonly string[];
  readonly splits: Partial<Record<Split, string>>;
}

export const DATA_YAML = 'data.yaml';
const SPLITS: readonly Split[] = ['train', 'val'];

/** The YAML of a dataset given as its folder (then `<folder>/data.yaml`) or as the YAML file itself. */
export async function dataYamlFile(location: string): Promise<string> {
  const path = resolve(location);
  try {
    if ((await stat(path)).isDirectory()) return join(path, DATA_YAML);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return /\.ya?ml$/i.test(path) ? path : join(path, DATA_YAML);
}

/**
 * Reads a dataset's YAML, given its folder (`<folder>/data.yaml`) or the YAML file. As in
 * Ultralytics, split folders are relative to `path`; `path` itself is taken relative to the folder
 * holding the YAML (Ultralytics takes it relative to its datasets folder) and defaults to that folder,
 * so `path: .` or no `path` keeps a dataset working after it is moved. A split `../x` that does not
 * exist is looked up as `x` (Roboflow exports). `names` may be a list or a `{0: name, 1: name}`
 * mapping, or be left out when `nc` is given (then `class0`, `class1`, ...); `nc`, when present,
 * must match it. Errors name the file.
 */
export async function readDataYaml(location: string): Promise<DataYamlInfo> {
  const file = await dataYamlFile(location);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${file}: not found (a YOLO dataset folder holds data.yaml, images/ and labels/)`);
    throw error;
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${file}: expected a mapping with names, train and val`);
  const data = value as Record<string, unknown>;
  const nc = data['nc'];
  const names = data['names'] === undefined && typeof nc === 'number' && Number.isInteger(nc) && nc > 0 ? Array.from({ length: nc }, (_, i) => `class${i}`) : namesOf(data['names'], file);
  if (nc !== undefined && nc !== names.length) throw new Error(`${file}: nc is ${String(nc)} but names lists ${names.length} classes`);
  const rootEntry = data['path'];
  if (rootEntry !== undefined && rootEntry !== null && typeof rootEntry !== 'string') throw new Error(`${file}: path must be a folder (a string)`);
  const root = resolve(dirname(file), typeof rootEntry === 'string' && rootEntry.length > 0 ? rootEntry : '.');
  if (typeof rootEntry === 'string' && rootEntry.length > 0 && !existsSync(root)) {
    throw new Error(`${file}: path '${rootEntry}' is ${root}, which does not exist (train and val are relative to path, path to the folder holding this file; 'path: .' means that folder)`);
  }
  const splits: Partial<Record<Split, string>> = {};
  for (const split of SPLITS) {
    const entry = data[split];
    if (entry === undefined || entry === null) continue;
    if (typeof entry !== 'string') throw new Error(`${file}: ${split} must be one folder of images (lists of folders are not supported)`);
    if (entry.endsWith('.txt')) throw new Error(`${file}: ${split} names a list file (${entry}); only image folders are supported`);
    splits[split] = splitFolder(root, entry);
  }
  return { file, root, names, splits };
}

function splitFolder(root: string, entry: string): string {
  const folder = isAbsolute(entry) ? entry : resolve(root, entry);
  if (!existsSync(folder) && entry.startsWith('../')) {
    const inside = resolve(root, entry.slice(3));
    if (existsSync(inside)) return inside;
  }
  return folder;
}

function namesOf(raw: unknown, file: string): string[] {
  if (Array.isArray(raw)) {
    if (raw.length === 0) throw new Error(`${file}: names is empty`);
    return raw.map(String);
  }
  if (raw !== null && typeof raw === 'object') {
    const entries = Object.entries(raw as Record<string, unknown>);
    const names = entries.map((_, index) => (raw as Record<string, unknown>)[String(index)]);
    if (entries.length === 0 || names.some((name) => name === undefined)) throw new Error(`${file}: names as a mapping must have the keys 0..${Math.max(0, entries.length - 1)}`);
    return names.map(String);
  }
  throw new Error(`${file}: names is missing (expected a list of class names)`);
}
