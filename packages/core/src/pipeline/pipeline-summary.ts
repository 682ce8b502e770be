import { PluginRef } from '../plugins/plugin.js';
import type { PipelineSpec } from './pipeline-spec.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof PluginRef);
}

function formatScalar(value: unknown): string {
  if (typeof value === 'string') return /[\s,=]/.test(value) ? JSON.stringify(value) : value;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `key=value` settings of a config, with nested plain objects flattened (`focal.gamma=2`); plugin refs are listed separately. */
function settingsOf(config: unknown, prefix = ''): { settings: string[]; nested: [string, PluginRef][] } {
  const settings: string[] = [];
  const nested: [string, PluginRef][] = [];
  if (!isPlainObject(config)) return { settings, nested };
  for (const [key, value] of Object.entries(config)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (value === undefined) continue;
    if (value instanceof PluginRef) nested.push([name, value]);
    else if (Array.isArray(value)) {
      const refs = value.filter((item): item is PluginRef => item instanceof PluginRef);
      if (refs.length === value.length && refs.length > 0) refs.forEach((ref, i) => nested.push([`${name}[${i}]`, ref]));
      else settings.push(`${name}=[${value.map(formatScalar).join(',')}]`);
    } else if (isPlainObject(value)) {
      const inner = settingsOf(value, name);
      settings.push(...inner.settings);
      nested.push(...inner.nested);
    } else settings.push(`${name}=${formatScalar(value)}`);
  }
  return { settings, nested };
}

function describeRef(label: string, ref: PluginRef, indent: string, lines: string[]): void {
  const { settings, nested } = settingsOf(ref.config);
  lines.push(`${indent}${label.padEnd(14)} ${ref.type.padEnd(22)} ${settings.join(' ')}`.trimEnd());
  for (const [key, child] of nested) describeRef(key, child, `${indent}    `, lines);
}

/** A readable outline of a pipeline: slots, stages, their settings and nested plugins (losses with their taps). */
export function summarizePipeline(spec: PipelineSpec): string {
  const lines = [`pipeline ${spec.name} (${spec.file}): seed ${spec.seed}, backend ${spec.backend}, runs in ${spec.runsDir}/`];
  if (spec.data) describeRef('data', spec.data, '  ', lines);
  if (spec.teacher) describeRef('teacher', spec.teacher, '  ', lines);
  if (spec.student) describeRef('student', spec.student, '  ', lines);
  lines.push(`  stages (${spec.stages.length})`);
  spec.stages.forEach((stage, index) => describeRef(`${index + 1}. ${stage.name}`, stage.ref, '    ', lines));
  return lines.join('\n');
}
