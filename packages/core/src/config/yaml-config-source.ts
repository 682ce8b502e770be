import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import type { SourcePosition } from './config-error.js';
import { formatPath, type ConfigPath } from './config-path.js';
import type { ConfigSource } from './config-source.js';

/** Where a `--set` override came from, so errors in its value point at the command line. */
export interface OverrideOrigin {
  readonly path: ConfigPath;
  readonly text: string;
}

function startsWith(path: ConfigPath, prefix: ConfigPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(path[i]) === String(segment));
}

/** Positions of a parsed YAML document, with line/column for every key and value. */
export class YamlConfigSource implements ConfigSource {
  constructor(
    readonly file: string,
    private readonly document: Document,
    private readonly lines: LineCounter,
    private readonly overrides: readonly OverrideOrigin[] = [],
  ) {}

  private at(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col };
  }

  positionOf(path: ConfigPath, part: 'key' | 'value' = 'value'): SourcePosition {
    const override = [...this.overrides].reverse().find((origin) => startsWith(path, origin.path));
    if (override) return { file: `${this.file} (--set ${override.text})`, line: 1, col: 1 };

    let node: unknown = this.document.contents;
    let position: SourcePosition = this.at(rangeStart(node) ?? 0);
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) return position;
        const keyStart = rangeStart(pair.key);
        const valueStart = rangeStart(pair.value);
        position = this.at(last && part === 'key' ? (keyStart ?? 0) : (valueStart ?? keyStart ?? 0));
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item: unknown = node.items[segment];
        if (item === undefined) return position;
        position = this.at(rangeStart(item) ?? 0);
        node = item;
      } else {
        return position;
      }
    }
    return position;
  }

  describe(path: ConfigPath): string {
    const { file, line, col } = this.positionOf(path);
    return `${file}:${line}:${col} (${formatPath(path)})`;
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
