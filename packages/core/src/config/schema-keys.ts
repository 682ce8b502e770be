import type { z } from 'zod';
import type { ConfigPath } from './config-path.js';

interface SchemaDefinition {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  in?: z.ZodType;
  options?: readonly z.ZodType[];
}

const definitionOf = (schema: z.ZodType): SchemaDefinition => (schema as unknown as { _zod: { def: SchemaDefinition } })._zod.def;

/** Follows wrappers (optional, default, pipe, ...) down to the schema that has the structure. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const definition = definitionOf(current);
    const inner = definition.innerType ?? (definition.type === 'pipe' ? definition.in : undefined);
    if (!inner) return current;
    current = inner;
  }
  return current;
}

/** The keys an object schema allows at `path` (for "did you mean" on typos); empty when unknown. */
export function knownKeysAt(schema: z.ZodType, path: ConfigPath): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    if (!current) return [];
    const definition = definitionOf(current);
    if (definition.type === 'object' && typeof segment === 'string') current = definition.shape?.[segment];
    else if (definition.type === 'array') current = definition.element;
    else if (definition.type === 'record') current = definition.valueType;
    else return [];
    current = current ? unwrap(current) : undefined;
  }
  if (!current) return [];
  const definition = definitionOf(current);
  return definition.type === 'object' ? Object.keys(definition.shape ?? {}) : [];
}
