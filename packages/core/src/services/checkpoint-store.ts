import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDirectoryAtomic, writeFileAtomic } from './atomic-write.js';

export type CheckpointDType = 'float32' | 'int32';

export interface StoredTensor {
  readonly shape: readonly number[];
  readonly dtype: CheckpointDType;
  readonly data: Float32Array | Int32Array;
}

/** What a stage saves: JSON state (epoch, optimiser step, ...) and named tensors (weights, moments). */
export interface CheckpointPayload {
  readonly meta: Readonly<Record<string, unknown>>;
  readonly tensors: Readonly<Record<string, StoredTensor>>;
}

/** Where a checkpoint lives and which stage wrote it. */
export interface CheckpointRecord {
  readonly stage: number;
  readonly stageName: string;
  readonly label: string;
  readonly path: string;
}

/** How a save counts. */
export interface SaveOptions {
  /**
   * False for a keepsake (a `best` model) that a resumed stage must not start from: it is written but
   * does not become the run's or the stage's latest checkpoint. Default true.
   */
  readonly resumable?: boolean;
}

/** Saves and loads checkpoints of a run; every save is atomic (temporary folder, then rename). */
export interface CheckpointStore {
  save(record: Omit<CheckpointRecord, 'path'>, payload: CheckpointPayload, options?: SaveOptions): Promise<CheckpointRecord>;
  load(record: CheckpointRecord): Promise<CheckpointPayload>;
  /** The most recent save of the run (or of one stage), if any. */
  latest(stage?: number): Promise<CheckpointRecord | undefined>;
}

/** The checkpoint view one stage gets: save under a label, and the state to resume from. */
export interface StageCheckpoints {
  save(label: string, payload: CheckpointPayload, options?: SaveOptions): Promise<void>;
  readonly resumeFrom: CheckpointPayload | undefined;
}

interface TensorIndexEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: CheckpointDType;
  readonly offset: number;
  readonly length: number;
}

const safeName = (text: string): string => text.replace(/[^A-Za-z0-9._-]+/g, '_');

/** A tensor whose data disagrees with its dtype or shape would load as different numbers: refuse to save it. */
function checkTensor(record: Omit<CheckpointRecord, 'path'>, name: string, tensor: StoredTensor): void {
  const where = `checkpoint ${record.stageName}/${record.label}: tensor '${name}'`;
  const arrayType = tensor.data instanceof Int32Array ? 'int32' : tensor.data instanceof Float32Array ? 'float32' : 'unknown';
  if (arrayType !== tensor.dtype) throw new Error(`${where} has dtype ${tensor.dtype} but its data is ${arrayType === 'unknown' ? 'neither a Float32Array nor an Int32Array' : `${arrayType} (${tensor.data.constructor.name})`}`);
  const size = tensor.shape.reduce((product, dimension) => product * dimension, 1);
  if (!tensor.shape.every((dimension) => Number.isInteger(dimension) && dimension >= 0) || size !== tensor.data.length) {
    throw new Error(`${where} has shape [${tensor.shape.join(', ')}] (${size} values) but ${tensor.data.length} values`);
  }
}

/** Checkpoints as folders: `meta.json` + one `tensors.bin` with an index; `latest.json` points at the newest. */
export class FileCheckpointStore implements CheckpointStore {
  constructor(private readonly directory: string) {}

  private folderOf(record: Omit<CheckpointRecord, 'path'>): string {
    const stageFolder = `${String(record.stage).padStart(2, '0')}-${safeName(record.stageName)}`;
    return join(this.directory, stageFolder, safeName(record.label));
  }

  async save(record: Omit<CheckpointRecord, 'path'>, payload: CheckpointPayload, options: SaveOptions = {}): Promise<CheckpointRecord> {
    const path = this.folderOf(record);
    const index: TensorIndexEntry[] = [];
    let offset = 0;
    const parts: Uint8Array[] = [];
    for (const [name, tensor] of Object.entries(payload.tensors)) {
      checkTensor(record, name, tensor);
      const bytes = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
      index.push({ name, shape: [...tensor.shape], dtype: tensor.dtype, offset, length: tensor.data.length });
      parts.push(bytes);
      offset += bytes.byteLength;
    }
    await writeDirectoryAtomic(path, async (temporary) => {
      await writeFile(join(temporary, 'tensors.bin'), Buffer.concat(parts));
      await writeFile(join(temporary, 'meta.json'), JSON.stringify({ ...record, meta: payload.meta, tensors: index }, null, 1));
    });
    const saved: CheckpointRecord = { ...record, path };
    if (options.resumable === false) return saved;
    await writeFileAtomic(join(this.directory, 'latest.json'), JSON.stringify(saved, null, 2));
    await writeFileAtomic(join(this.directory, `latest-stage-${record.stage}.json`), JSON.stringify(saved, null, 2));
    return saved;
  }

  async load(record: CheckpointRecord): Promise<CheckpointPayload> {
    const metaFile = join(record.path, 'meta.json');
    let parsed: { meta: Record<string, unknown>; tensors: TensorIndexEntry[] };
    try {
      parsed = JSON.parse(await readFile(metaFile, 'utf8')) as typeof parsed;
    } catch (error) {
      throw new Error(`checkpoint ${metaFile} cannot be read: ${(error as Error).message}`);
    }
    let blob: Buffer;
    try {
      blob = await readFile(join(record.path, 'tensors.bin'));
    } catch (error) {
      throw new Error(`checkpoint ${record.path}: tensors.bin cannot be read: ${(error as Error).message}`);
    }
    const tensors: Record<string, StoredTensor> = {};
    for (const entry of parsed.tensors) {
      const bytes = blob.subarray(entry.offset, entry.offset + entry.length * 4);
      if (bytes.byteLength !== entry.length * 4) {
        throw new Error(`checkpoint ${record.path}: tensor '${entry.name}' is truncated in tensors.bin`);
      }
      const copy = new Uint8Array(bytes).buffer;
      const data = entry.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
      tensors[entry.name] = { shape: entry.shape, dtype: entry.dtype, data };
    }
    return { meta: parsed.meta, tensors };
  }

  async latest(stage?: number): Promise<CheckpointRecord | undefined> {
    const pointer = join(this.directory, stage === undefined ? 'latest.json' : `latest-stage-${stage}.json`);
    try {
      return JSON.parse(await readFile(pointer, 'utf8')) as CheckpointRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`checkpoint pointer ${pointer} cannot be read: ${(error as Error).message}`);
    }
  }
}

/** Reads one checkpoint folder (`meta.json` + `tensors.bin`), e.g. a `stage-end` of an earlier run given as `weights:`. */
export function loadCheckpointFolder(path: string): Promise<CheckpointPayload> {
  return new FileCheckpointStore(path).load({ stage: 0, stageName: '', label: '', path });
}
