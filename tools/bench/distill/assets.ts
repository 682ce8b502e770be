import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assetPipeline, type AssetPlan, type Plan } from './plan.js';
import { runOrResume, runOutcome } from './run-pipeline.js';

/** What `asset.json` beside a committed checkpoint says: how it was made and how good it is. */
export interface AssetRecord {
  readonly name: string;
  readonly model: string;
  readonly files: Readonly<Record<string, string>>;
  readonly map50: number;
  readonly map: number;
  readonly epochs: number;
  readonly seconds: number;
  readonly command: string;
  readonly pipeline: string;
  readonly date: string;
  /** The committed asset this one continued from; `epochs` and `seconds` include the base's. */
  readonly continues?: string;
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * The converged checkpoint of one asset: reused from `<assets>/<name>` when its `asset.json` is there
 * (committed once, checked by sha256), else trained (resumably) and copied there from the run's last
 * stage-end checkpoint, written under a temporary name and renamed.
 */
export async function ensureAsset(plan: Plan, asset: AssetPlan, names: { assets: string; work: string; dataRoot: string }): Promise<AssetRecord> {
  const record = existingAsset(asset, names.assets);
  if (record) return record;
  return trainAsset(plan, asset, names);
}

/** The committed asset, checked against its sha256, or undefined when it has not been made yet. */
export function existingAsset(asset: AssetPlan, assets: string): AssetRecord | undefined {
  const folder = join(assets, asset.name);
  const recordFile = join(folder, 'asset.json');
  if (!existsSync(recordFile)) return undefined;
  const record = JSON.parse(readFileSync(recordFile, 'utf8')) as AssetRecord;
  for (const [file, hash] of Object.entries(record.files)) {
    if (sha256(join(folder, file)) !== hash) throw new Error(`${join(folder, file)}: sha256 differs from ${recordFile}; the committed asset was changed`);
  }
  return record;
}

async function trainAsset(plan: Plan, asset: AssetPlan, names: { assets: string; work: string; dataRoot: string }): Promise<AssetRecord> {
  const name = asset.name;
  const folder = join(names.assets, name);
  const base = asset.continues ? existingAsset(asset.continues, names.assets) : undefined;
  if (asset.continues && !base) throw new Error(`${name} continues ${asset.continues.name}, which is not committed under ${names.assets}`);
  const pipeline = assetPipeline(plan, asset, names.dataRoot, asset.continues && join(names.assets, asset.continues.name));
  const run = await runOrResume(names.work, name, pipeline);
  const outcome = runOutcome(run, 2);
  const stageEnd = join(run, 'checkpoints', '01-close-mosaic', 'stage-end');
  const partial = `${folder}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const files: Record<string, string> = {};
  for (const file of ['meta.json', 'tensors.bin']) {
    copyFileSync(join(stageEnd, file), join(partial, file));
    files[file] = sha256(join(partial, file));
  }
  const record: AssetRecord = {
    name,
    model: `${asset.adapter ?? 'yolov5'}${asset.scale}`,
    files,
    map50: outcome.map50,
    map: outcome.map,
    epochs: (base?.epochs ?? 0) + asset.epochs + asset.closeMosaic,
    seconds: (base?.seconds ?? 0) + Math.round(outcome.seconds),
    command: asset.command ?? `npm run bench:distill -- --phase assets${plan.id === 'quick' ? ' --quick' : ''}`,
    pipeline: `name: ${name}\n${pipeline}`,
    date: new Date().toISOString(),
    ...(base ? { continues: base.name } : {}),
  };
  writeFileSync(join(partial, 'asset.json'), `${JSON.stringify(record, null, 2)}\n`);
  rmSync(folder, { recursive: true, force: true });
  renameSync(partial, folder);
  return record;
}
