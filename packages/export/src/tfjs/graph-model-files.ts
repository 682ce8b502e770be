import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import type { BuiltTfjsGraph } from './build-tfjs-graph.js';

/** tfjs-converter's default shard size: 4 MiB (`--weight_shard_size_bytes 4194304`). */
export const SHARD_BYTES = 4 * 1024 * 1024;

/** The `model.json` of a TF.js graph model. */
export interface GraphModelJson {
  readonly format: 'graph-model';
  readonly generatedBy: string;
  readonly convertedBy: string;
  readonly modelTopology: BuiltTfjsGraph['topology'];
  readonly signature: BuiltTfjsGraph['signature'];
  readonly weightsManifest: readonly { readonly paths: readonly string[]; readonly weights: readonly { readonly name: string; readonly shape: readonly number[]; readonly dtype: 'float32' | 'int32' }[] }[];
  readonly userDefinedMetadata: Readonly<Record<string, string>>;
}

export interface GraphModelFiles {
  readonly modelJson: GraphModelJson;
  /** `group1-shard<i>of<n>.bin`, each at most `shardBytes`, in order. */
  readonly shards: readonly { readonly name: string; readonly bytes: Uint8Array }[];
}

/**
 * model.json and its weight shards: every constant's values little-endian, in node order, cut into
 * shards of `shardBytes` (the last one shorter), as tfjs-converter lays out one weight group.
 */
export function graphModelFiles(built: BuiltTfjsGraph, metadata: Readonly<Record<string, string>>, version: string, shardBytes = SHARD_BYTES): GraphModelFiles {
  const total = built.constants.reduce((sum, c) => sum + c.data.byteLength, 0);
  const all = new Uint8Array(total);
  const view = new DataView(all.buffer);
  let offset = 0;
  for (const c of built.constants) {
    for (const value of c.data) {
      if (c.dtype === 'float32') view.setFloat32(offset, value, true);
      else view.setInt32(offset, value, true);
      offset += 4;
    }
  }
  const count = Math.max(1, Math.ceil(total / shardBytes));
  const shards = Array.from({ length: count }, (_, i) => ({ name: `group1-shard${i + 1}of${count}.bin`, bytes: all.subarray(i * shardBytes, Math.min(total, (i + 1) * shardBytes)) }));
  return {
    modelJson: {
      format: 'graph-model',
      generatedBy: `yolo-distill ${version}`,
      convertedBy: `yolo-distill ${version} (from DetectionModel.graph())`,
      modelTopology: built.topology,
      signature: built.signature,
      weightsManifest: [{ paths: shards.map((s) => s.name), weights: built.constants.map((c) => ({ name: c.name, shape: [...c.shape], dtype: c.dtype })) }],
      userDefinedMetadata: metadata,
    },
    shards,
  };
}

/**
 * An io handler that reads a TF.js model folder (model.json and the shards its manifest names) from
 * disk, for `tf.loadGraphModel` where no `file://` handler is registered (tfjs-node is not installed).
 * A missing or unreadable file is an error naming it.
 */
export function graphModelFolder(folder: string): tf.io.IOHandler {
  const read = async (name: string): Promise<Buffer> =>
    readFile(join(folder, name)).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`${join(folder, name)}: cannot read the TF.js model (${error.code === 'ENOENT' ? 'no such file' : error.message})`);
    });
  return {
    load: async () => {
      const text = (await read('model.json')).toString('utf8');
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(text) as tf.io.ModelJSON;
      } catch (error) {
        throw new Error(`${join(folder, 'model.json')}: not JSON (${(error as Error).message})`);
      }
      if (!json.modelTopology || !Array.isArray(json.weightsManifest)) throw new Error(`${join(folder, 'model.json')}: not a TF.js model (no modelTopology or weightsManifest)`);
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const buffers = await Promise.all(manifest.flatMap((group) => group.paths).map(read));
        const joined = new Uint8Array(buffers.reduce((sum, b) => sum + b.byteLength, 0));
        let at = 0;
        for (const b of buffers) {
          joined.set(b, at);
          at += b.byteLength;
        }
        return [tf.io.getWeightSpecs(manifest), joined.buffer];
      });
    },
  };
}

/** A TF.js export folder loaded with `tf.loadGraphModel` (through `graphModelFolder`). */
export async function loadTfjsExport(folder: string): Promise<GraphModel> {
  return loadGraphModel(graphModelFolder(folder));
}
