import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isImageFile } from '@yolo-distill/data';

/** A path that names no images: exit code 2. */
export class ImageSourceError extends Error {
  override readonly name = 'ImageSourceError';
}

const GLOB = /[*?[]/;

/** A file-name pattern (`*`, `?`, `[abc]`) as a regular expression. */
function globPattern(pattern: string): RegExp {
  const source = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${source}$`);
}

/**
 * The images `source` names, sorted: one image file, every image of a folder (not recursive), or a
 * pattern in the last path segment (`images/*.jpg`, `frames/img_0??.png`). Nothing found is an error.
 */
export async function imageSources(source: string): Promise<string[]> {
  if (GLOB.test(basename(source))) {
    const folder = dirname(source);
    const pattern = globPattern(basename(source));
    let entries: string[];
    try {
      entries = await readdir(folder);
    } catch {
      throw new ImageSourceError(`${source}: the folder ${folder} does not exist`);
    }
    const found = entries.filter((name) => pattern.test(name) && isImageFile(name)).sort().map((name) => join(folder, name));
    if (found.length === 0) throw new ImageSourceError(`${source}: no image file matches`);
    return found;
  }
  let info;
  try {
    info = await stat(source);
  } catch {
    throw new ImageSourceError(`${source}: not found (an image, a folder of images or a pattern like images/*.jpg)`);
  }
  if (info.isFile()) {
    if (!isImageFile(source)) throw new ImageSourceError(`${source}: not an image file (by its extension)`);
    return [source];
  }
  const found = (await readdir(source)).filter(isImageFile).sort().map((name) => join(source, name));
  if (found.length === 0) throw new ImageSourceError(`${source}: no image files in this folder`);
  return found;
}
