import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
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

/** A `data.yaml` as read: class names and, per split present, the absolute images folder. */
export interface DataYamlInfo {
  readonly file: string;
  readonly names: readonly string[];
  readonly splits: Partial<Record<Split, string>>;
}

export const DATA_YAML = 'data.yaml';
const SPLITS: readonly Split[] = ['train', 'val'];

/**
 * Reads `<root>/data.yaml`. Split folders are taken relative to `root` (the folder holding the file),
 * so a dataset folder keeps working after it is moved; `path` is not consulted. `names` may be a
 * list or a `{0: name, 1: name}` mapping; `nc`, when present, must match it. Errors name the file.
 */
export async function readDataYaml(root: string): Promise<DataYamlInfo> {
  const file = join(root, DATA_YAML);
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
  const names = namesOf(data['names'], file);
  const nc = data['nc'];
  if (nc !== undefined && nc !== names.length) throw new Error(`${file}: nc is ${String(nc)} but names lists ${names.length} classes`);
  const splits: Partial<Record<Split, string>> = {};
  for (const split of SPLITS) {
    const entry = data[split];
    if (entry === undefined || entry === null) continue;
    if (typeof entry !== 'string') throw new Error(`${file}: ${split} must be one folder of images (lists of folders are not supported)`);
    if (entry.endsWith('.txt')) throw new Error(`${file}: ${split} names a list file (${entry}); only image folders are supported`);
    splits[split] = isAbsolute(entry) ? entry : resolve(root, entry);
  }
  return { file, names, splits };
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
