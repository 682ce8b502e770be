import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

/** Image files a YOLO folder may hold (as Ultralytics accepts them, minus video and exotic formats). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg', '.bmp', '.webp', '.tif', '.tiff'];

export const isImageFile = (name: string): boolean => IMAGE_EXTENSIONS.includes(extname(name).toLowerCase());

/** The label file of an image, as Ultralytics finds it: the last `/images/` becomes `/labels/`, the extension `.txt`. */
export function labelPathFor(imagePath: string): string {
  const images = `${sep}images${sep}`;
  const at = imagePath.lastIndexOf(images);
  const swapped = at < 0 ? imagePath : `${imagePath.slice(0, at)}${sep}labels${sep}${imagePath.slice(at + images.length)}`;
  const extension = extname(swapped);
  return `${extension ? swapped.slice(0, -extension.length) : swapped}.txt`;
}

/** The names of a folder's entries, sorted; `undefined` when the folder does not exist. */
export async function listFolderSorted(path: string): Promise<string[] | undefined> {
  try {
    return (await readdir(path)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Files under `folder` at any depth whose names pass `keep`, as absolute paths sorted by their path
 * relative to `folder` (Ultralytics globs `**` the same way); `undefined` when the folder does not exist.
 */
export async function listFilesRecursive(folder: string, keep: (name: string) => boolean): Promise<string[] | undefined> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { recursive: true, withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort()
    .map((path) => join(folder, path));
}
