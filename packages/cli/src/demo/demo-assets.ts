import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkpoints the distillation benchmark committed (benchmarks/assets/, each with asset.json). */
export const ASSETS_FOLDER = fileURLToPath(new URL('../../../../benchmarks/assets/', import.meta.url));

export interface CommittedAsset {
  readonly folder: string;
  readonly map50: number;
  readonly map: number;
}

/**
 * A committed checkpoint, checked against the sha256 its asset.json records; undefined when the
 * workspace has none (an installed package). A changed copy is an error: its numbers would not be the ones written down.
 */
export function committedAsset(name: string): CommittedAsset | undefined {
  const folder = join(ASSETS_FOLDER, name);
  const record = join(folder, 'asset.json');
  if (!existsSync(record)) return undefined;
  const asset = JSON.parse(readFileSync(record, 'utf8')) as { files: Record<string, string>; map50: number; map: number };
  for (const [file, sha256] of Object.entries(asset.files)) {
    const actual = createHash('sha256').update(readFileSync(join(folder, file))).digest('hex');
    if (actual !== sha256) throw new Error(`${join(folder, file)} is not the committed asset (sha256 ${actual}, asset.json records ${sha256}); restore it with git checkout`);
  }
  return { folder, map50: asset.map50, map: asset.map };
}
