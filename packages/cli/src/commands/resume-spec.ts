import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parsePath, parsePipeline, RUN_STATE_FILE, type PipelineSpec, type PluginRegistry } from '@yolo-distill/core';

/** `--set` keys a resume may change: how the run executes, not what it computes. */
export const RESUMABLE_KEYS: ReadonlySet<string> = new Set(['workers', 'backend']);

/**
 * The spec a resumed run continues with: the run's own `config.resolved.yaml` (the pipeline file may
 * have changed since, and the run's `--set` overrides live only there). A `--set` that changes it is
 * refused unless it only says how to execute (`workers`, `backend`). `fileDiffers`: the pipeline file
 * no longer gives the run's settings (it was edited, or the run was started with `--set`).
 */
export function resumeSpec(
  folder: string,
  original: PipelineSpec,
  overrides: readonly string[],
  registry: PluginRegistry,
  env: Readonly<Record<string, string | undefined>>,
): { readonly spec: PipelineSpec; readonly fileDiffers: boolean } {
  const file = join(folder, 'config.resolved.yaml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot resume ${folder}: its config.resolved.yaml cannot be read (${(error as Error).message}); was it made by 'yolo-distill run'?`);
  }
  const own = parsePipeline(text, file, registry, { env });
  const conflicts: string[] = [];
  for (const override of overrides) {
    const key = override.slice(0, Math.max(0, override.indexOf('=')));
    const changed = parsePipeline(text, file, registry, { env, overrides: [override] }).resolvedText !== own.resolvedText;
    const last = parsePath(key).at(-1);
    if (changed && !(typeof last === 'string' && RESUMABLE_KEYS.has(last))) conflicts.push(override);
  }
  if (conflicts.length > 0) {
    throw new ConfigError(
      conflicts.map((override) => ({
        position: { file: `${file} (--set ${override})`, line: 1, col: 1 },
        path: [],
        message: `--set ${override} conflicts with the run being resumed, which continues with its own settings; start a new run to change it (only ${[...RESUMABLE_KEYS].join(' and ')} may change on resume)`,
      })),
    );
  }
  const resumed = overrides.length > 0 ? parsePipeline(text, file, registry, { env, overrides }) : own;
  return { spec: { ...resumed, name: recordedName(folder) ?? original.name }, fileDiffers: own.resolvedText !== original.resolvedText };
}

function recordedName(folder: string): string | undefined {
  try {
    const state = JSON.parse(readFileSync(join(folder, RUN_STATE_FILE), 'utf8')) as { name?: unknown };
    return typeof state.name === 'string' ? state.name : undefined;
  } catch {
    return undefined;
  }
}
