import type { ChannelWidths } from '../yaml/model-spec.js';

/**
 * The channel counts a checkpoint's meta records for a pruned model (`channelWidths`), checked; undefined
 * when the checkpoint is of a model as its YAML makes it. `where` names the checkpoint in errors.
 */
export function checkpointChannelWidths(meta: Readonly<Record<string, unknown>>, where: string): ChannelWidths | undefined {
  const raw = meta['channelWidths'];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${where}: meta.channelWidths must map conv kernel names to [in, out] channels, found ${JSON.stringify(raw)}`);
  const widths: Record<string, readonly [number, number]> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!Array.isArray(value) || value.length !== 2 || !value.every((c) => Number.isInteger(c) && (c as number) > 0)) {
      throw new Error(`${where}: meta.channelWidths.${name} must be [in, out] positive channel counts, found ${JSON.stringify(value)}`);
    }
    widths[name] = [value[0] as number, value[1] as number];
  }
  return widths;
}

/** Whether two width maps give every conv the same channels (undefined and `{}` both mean none). */
export function sameWidths(a: ChannelWidths | undefined, b: ChannelWidths | undefined): boolean {
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  if (ka.length !== kb.length) return false;
  return ka.every((name) => {
    const x = (a as ChannelWidths)[name] as readonly [number, number];
    const y = (b ?? {})[name];
    return y !== undefined && x[0] === y[0] && x[1] === y[1];
  });
}
