import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, parse as parseYamlValue, visit, type Document, type Scalar } from 'yaml';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { formatPath, parsePath, type ConfigPath } from './config-path.js';
import { ENV_REFERENCE, quoteFlowReferences } from './flow-references.js';
import { YamlConfigSource, type OverrideOrigin } from './yaml-config-source.js';

/** A YAML config read from disk: its plain value, its positions, and its text after overrides. */
export interface LoadedYaml {
  readonly value: unknown;
  readonly source: YamlConfigSource;
  readonly resolvedText: string;
}

export interface YamlLoadOptions {
  /** `key.path=value` overrides (`--set`); values are parsed as YAML. */
  readonly overrides?: readonly string[];
  /** Variables for `${NAME}` and `${NAME:-default}` in scalars; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}


function problemAt(file: string, line: number, col: number, message: string, path: ConfigPath = []): ConfigProblem {
  return { position: { file, line, col }, path, message };
}

/** Reads and parses a YAML file, keeping line/column for every node. */
export async function loadYamlFile(file: string, options: YamlLoadOptions = {}): Promise<LoadedYaml> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError([problemAt(file, 1, 1, `cannot read pipeline: ${reason}`)]);
  }
  return parseYamlText(text, file, options);
}

/** Parses YAML text as `loadYamlFile` does; `file` names it in errors. */
export function parseYamlText(original: string, file: string, options: YamlLoadOptions = {}): LoadedYaml {
  const lines = new LineCounter();
  const { text, quoted } = quoteFlowReferences(original);
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        const firstLine = error.message.split('\n')[0] ?? error.message;
        return problemAt(file, line, col, `YAML syntax error: ${firstLine.replace(/ at line \d+, column \d+:?$/, '')}`);
      }),
    );
  }
  if (document.contents === null) {
    throw new ConfigError([problemAt(file, 1, 1, 'the file is empty: expected a mapping with at least `stages:`')]);
  }
  substituteEnvironment(document, file, lines, options.env ?? process.env, new Set(quoted.map((reference) => reference.offset)));
  const origins = applyOverrides(document, file, options.overrides ?? []);
  const source = new YamlConfigSource(file, document, lines, origins);
  return { value: document.toJS({ maxAliasCount: 1000 }), source, resolvedText: document.toString() };
}

/**
 * Replaces `${NAME}`, `${NAME:-default}` and `${NAME:?message}` in string scalars; an unquoted scalar
 * that was only a reference is re-read as YAML (numbers stay numbers). `wasPlain`: offsets of scalars
 * that were plain in the file and were quoted only to parse inside a flow collection.
 */
function substituteEnvironment(document: Document, file: string, lines: LineCounter, env: Readonly<Record<string, string | undefined>>, wasPlain: ReadonlySet<number>): void {
  const problems: ConfigProblem[] = [];
  visit(document, {
    Scalar(_key, node: Scalar, ancestors) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      const original = node.value;
      const replaced = original.replace(ENV_REFERENCE, (whole, name: string, operator: string | undefined, operand: string | undefined) => {
        const value = env[name];
        if (value !== undefined && value !== '') return value;
        if (operator === '-') return operand ?? '';
        const { line, col } = lines.linePos(node.range?.[0] ?? 0);
        const path = pathOf(node, ancestors);
        const message = operator === '?' && operand ? `${name} is not set: ${operand}` : `environment variable ${name} is not set (write \${${name}:-default} to give a default)`;
        problems.push(problemAt(file, line, col, message, path));
        return whole;
      });
      const wholeReference = original.replace(ENV_REFERENCE, '') === '' && original.match(ENV_REFERENCE)?.length === 1;
      const plain = node.type === 'PLAIN' || wasPlain.has(node.range?.[0] ?? -1);
      node.value = wholeReference && plain ? readScalar(replaced) : replaced;
    },
  });
  if (problems.length > 0) throw new ConfigError(problems);
}

/** A substituted plain scalar read as YAML (`3` -> 3, `true` -> true); text that is not valid YAML stays a string. */
function readScalar(text: string): unknown {
  try {
    return parseYamlValue(text);
  } catch {
    return text;
  }
}

/** The config path of a scalar from the visitor's ancestors (documents, maps, pairs, sequences). */
function pathOf(node: unknown, ancestors: readonly unknown[]): ConfigPath {
  const path: (string | number)[] = [];
  for (let i = 0; i < ancestors.length; i++) {
    const ancestor = ancestors[i];
    const next = i + 1 < ancestors.length ? ancestors[i + 1] : node;
    if (isSeq(ancestor)) path.push(ancestor.items.indexOf(next));
    else if (isPair(ancestor) && isScalar(ancestor.key) && next === ancestor.value) path.push(String(ancestor.key.value));
  }
  return path;
}

/** Applies `--set a.b[1].c=value` overrides to the document; returns where each came from. */
function applyOverrides(document: Document, file: string, overrides: readonly string[]): OverrideOrigin[] {
  const origins: OverrideOrigin[] = [];
  for (const text of overrides) {
    const where = `${file} (--set ${text})`;
    const equals = text.indexOf('=');
    if (equals <= 0) throw new ConfigError([problemAt(where, 1, 1, `--set expects key.path=value, found '${text}'`)]);
    let path: ConfigPath;
    try {
      path = parsePath(text.slice(0, equals));
    } catch (error) {
      throw new ConfigError([problemAt(where, 1, 1, (error as Error).message)]);
    }
    let value: unknown;
    try {
      value = parseYamlValue(text.slice(equals + 1));
    } catch (error) {
      throw new ConfigError([problemAt(where, 1, equals + 2, `the value is not valid YAML: ${(error as Error).message.split('\n')[0]}`)]);
    }
    const parentPath = path.slice(0, -1);
    const parent: unknown = parentPath.length === 0 ? document.contents : document.getIn(parentPath, true);
    const last = path[path.length - 1] as string | number;
    const parentName = parentPath.length === 0 ? 'the document' : `'${formatPath(parentPath)}'`;
    if (parent === undefined || parent === null) {
      throw new ConfigError([problemAt(where, 1, 1, `there is no ${parentName} to set '${String(last)}' in`)]);
    }
    if (isSeq(parent)) {
      if (typeof last !== 'number') throw new ConfigError([problemAt(where, 1, 1, `${parentName} is a list; set an item by index, e.g. ${formatPath([...parentPath, 0])}`)]);
      const size = parent.items.length;
      if (last > size) throw new ConfigError([problemAt(where, 1, 1, `index ${last} is past the end of ${parentName}, a list of ${size}`)]);
    } else if (!isMap(parent)) {
      throw new ConfigError([problemAt(where, 1, 1, `${parentName} is a single value, not a mapping or list; cannot set '${String(last)}' inside it`)]);
    }
    document.setIn(path, document.createNode(value));
    origins.push({ path, text });
  }
  return origins;
}
