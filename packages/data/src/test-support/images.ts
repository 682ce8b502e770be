import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import sharp from 'sharp';

/** Writes a one-colour image; the format follows the extension (png, jpg/jpeg, webp). */
export async function writeSolidImage(file: string, width: number, height: number, colour: readonly [number, number, number] = [200, 30, 30]): Promise<void> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: colour[0], g: colour[1], b: colour[2] } } });
  const extension = extname(file).toLowerCase();
  const encoded = extension === '.png' ? image.png() : extension === '.webp' ? image.webp({ lossless: true }) : image.jpeg({ quality: 95 });
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, await encoded.toBuffer());
}

/** Writes text files, creating folders; keys are paths relative to `root`. */
export async function writeTextFiles(root: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    const path = `${root}/${name}`;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }
}
