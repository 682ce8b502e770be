import { readdir } from 'node:fs/promises';
import { extname, sep } from 'node:path';

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
