import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** How much disk a model takes: a file (`.onnx`), or a folder's files together (a TF.js graph model: `model.json` + shards). */
export interface FileSize {
  readonly path: string;
  readonly bytes: number;
  /** `bytes / 2^20`, the "MB" Ultralytics' `file_size` prints. */
  readonly mib: number;
  readonly files: number;
}

/** The size of a model file, or of every file under a model folder (recursively). Errors name the path. */
export async function modelFileSize(path: string): Promise<FileSize> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${path}: no such file or folder`);
    throw error;
  }
  if (info.isFile()) return { path, bytes: info.size, mib: info.size / 2 ** 20, files: 1 };
  if (!info.isDirectory()) throw new Error(`${path}: not a file or folder`);
  let bytes = 0;
  let files = 0;
  for (const entry of await readdir(path, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
    files += 1;
  }
  return { path, bytes, mib: bytes / 2 ** 20, files };
}
