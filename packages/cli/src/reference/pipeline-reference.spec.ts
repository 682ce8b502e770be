import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PluginRegistry } from '@yolo-distill/core';
import { z } from 'zod';
import { builtinPlugins } from '../builtin-plugins.js';
import { pipelineReference } from './pipeline-reference.js';

const committed = fileURLToPath(new URL('../../../../docs/pipeline-reference.md', import.meta.url));

describe('the pipeline reference', () => {
  it('docs/pipeline-reference.md is what the descriptors generate (regenerate: npx yolo-distill plugins --markdown > docs/pipeline-reference.md)', () => {
    expect(readFileSync(committed, 'utf8')).toBe(pipelineReference(new PluginRegistry(builtinPlugins())));
  });

  it('lists every registered type under its kind, with its summary', () => {
    const registry = new PluginRegistry(builtinPlugins());
    const text = pipelineReference(registry);
    for (const type of registry.types()) {
      expect(text).toContain(`### \`${type}\`\n\n${registry.descriptor(type)?.summary}\n`);
    }
  });

  it('gives each field its type, default (or required) and meaning from the schema', () => {
    const schema = z.strictObject({
      ratio: z.number().min(0).max(1).describe('share of channels removed'),
      roundTo: z.int().positive().default(4),
      method: z.enum(['l1', 'taylor']).default('l1'),
    });
    const registry = new PluginRegistry([{ meta: { name: 'x', version: '0' }, descriptors: [{ type: 'x.Prune', kind: 'stage', summary: 'prunes', schema, parse: (raw) => raw, create: () => ({}) as never }] }]);
    expect(pipelineReference(registry)).toContain(
      [
        '### `x.Prune`',
        '',
        'prunes',
        '',
        '| field | type | default | meaning |',
        '|---|---|---|---|',
        '| `ratio` | number >= 0 <= 1 | **required** | share of channels removed |',
        '| `roundTo` | integer > 0 | `4` |  |',
        '| `method` | "l1" \\| "taylor" | `"l1"` |  |',
      ].join('\n'),
    );
  });
});
