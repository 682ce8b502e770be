import type { PluginKind, PluginRegistry } from '@yolo-distill/core';
import { EXIT, type CliIO } from '../cli-io.js';
import { pipelineReference } from '../reference/pipeline-reference.js';

/** `yolo-distill plugins`: every registered type by kind, with its one-line summary; `--markdown`: the pipeline reference with every field. */
export function pluginsCommand(registry: PluginRegistry, io: CliIO, options: { readonly markdown?: boolean } = {}): number {
  if (options.markdown) {
    io.stdout(pipelineReference(registry));
    return EXIT.ok;
  }
  const byKind = new Map<PluginKind, string[]>();
  for (const type of registry.types()) {
    const descriptor = registry.descriptor(type);
    if (!descriptor) continue;
    const lines = byKind.get(descriptor.kind) ?? [];
    lines.push(`  ${type.padEnd(26)} ${descriptor.summary}`);
    byKind.set(descriptor.kind, lines);
  }
  for (const [kind, lines] of [...byKind.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    io.stdout(`${kind}\n${lines.join('\n')}\n`);
  }
  const plugins = registry.registeredPlugins().map((plugin) => `${plugin.meta.name}@${plugin.meta.version}`);
  io.stdout(`plugins: ${plugins.join(', ')}\n`);
  return EXIT.ok;
}
