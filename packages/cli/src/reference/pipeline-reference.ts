import { z } from 'zod';
import type { PluginDescriptor, PluginKind, PluginRegistry } from '@yolo-distill/core';

interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly default?: unknown;
  readonly description?: string;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly items?: JsonSchema;
  readonly prefixItems?: readonly JsonSchema[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
}

const KIND_TITLES: Partial<Record<PluginKind, string>> = {
  dataset: 'Datasets (`data:`)',
  model: 'Models (`student:`, `teacher:`)',
  teacher: 'Teachers (`teacher:`)',
  stage: 'Stages (`stages:`)',
  loss: 'Distillation losses (`losses:` of trainer.Distill)',
  augmentation: 'Augmentations (`augmentations:`)',
  featureAugmentation: 'Feature augmentations (`featureAugmentations:` of trainer.Distill)',
  pruner: 'Pruners',
  quantizer: 'Quantizers',
  exporter: 'Exporters',
  metric: 'Metrics (`metric:` of a training stage)',
};

/** A field's type in words: `number >= 0`, `13 | 17`, `[number, number]`, `{ relative: number }`, ... */
function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return options.map(typeOf).join(' | ');
  if (schema.type === 'array') {
    if (schema.prefixItems) return `[${schema.prefixItems.map(typeOf).join(', ')}]`;
    return `list of ${schema.items ? typeOf(schema.items) : 'values'}`;
  }
  if (schema.type === 'object') {
    if (!schema.properties) return 'mapping';
    const keys = Object.entries(schema.properties).map(([key, value]) => `${key}${schema.required?.includes(key) ? '' : '?'}: ${typeOf(value)}`);
    return keys.length <= 4 ? `{ ${keys.join(', ')} }` : `mapping (${Object.keys(schema.properties).join(', ')})`;
  }
  const base = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'any');
  const bounds = [schema.minimum !== undefined && schema.minimum > Number.MIN_SAFE_INTEGER ? `>= ${schema.minimum}` : '', schema.exclusiveMinimum !== undefined ? `> ${schema.exclusiveMinimum}` : '', schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? `<= ${schema.maximum}` : ''].filter(Boolean);
  return [base === 'integer' ? 'integer' : base, ...bounds].join(' ');
}

function cell(text: string): string {
  return text.replace(/\n/g, ' ').replace(/\|/g, '\\|');
}

function fieldsTable(descriptor: PluginDescriptor): string {
  if (!descriptor.schema) return '_Fields: not declared by the descriptor (see its package README)._\n';
  const json = z.toJSONSchema(descriptor.schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const properties = Object.entries(json.properties ?? {});
  if (properties.length === 0) return '_No fields._\n';
  const described = properties.some(([, field]) => field.description !== undefined);
  const rows = properties.map(([name, field]) => {
    const required = json.required?.includes(name) && field.default === undefined;
    const fallback = field.default === undefined ? (required ? '**required**' : '') : `\`${cell(JSON.stringify(field.default))}\``;
    return `| \`${name}\` | ${cell(typeOf(field))} | ${fallback} |${described ? ` ${cell(field.description ?? '')} |` : ''}`;
  });
  const header = described ? ['| field | type | default | meaning |', '|---|---|---|---|'] : ['| field | type | default |', '|---|---|---|'];
  return [...header, ...rows, ''].join('\n');
}

/**
 * The pipeline reference as markdown, generated from the registered descriptors: every type by kind,
 * its summary, and its fields with type, default and meaning (from the descriptor's zod schema).
 */
export function pipelineReference(registry: PluginRegistry): string {
  const byKind = new Map<PluginKind, PluginDescriptor[]>();
  for (const type of registry.types()) {
    const descriptor = registry.descriptor(type);
    if (!descriptor) continue;
    byKind.set(descriptor.kind, [...(byKind.get(descriptor.kind) ?? []), descriptor]);
  }
  const parts = [
    '# Pipeline reference',
    '',
    'Generated from the plugin descriptors by `npx yolo-distill plugins --markdown` (a test fails when this file',
    'and the descriptors disagree). Every node of a pipeline names its `type`; the fields below sit beside it.',
    '`${NAME}`, `${NAME:-default}` and `${NAME:?message}` in any value read the environment; `--set key.path=value`',
    'overrides a key. Top level: `name`, `seed`, `backend` (auto | tfjs-node-gpu | tfjs-node | wasm | cpu), `runs`,',
    '`data`, `teacher`, `student`, `stages` (each may carry `name`).',
    '',
  ];
  for (const [kind, descriptors] of [...byKind.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    parts.push(`## ${KIND_TITLES[kind] ?? kind}`, '');
    for (const descriptor of descriptors.sort((a, b) => a.type.localeCompare(b.type))) {
      parts.push(`### \`${descriptor.type}\``, '', descriptor.summary, '', fieldsTable(descriptor));
    }
  }
  return `${parts.join('\n').trimEnd()}\n`;
}
