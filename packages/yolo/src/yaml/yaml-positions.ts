import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { ConfigPath, ConfigSource, SourcePosition } from '@yolo-distill/core';

/** Line/column of every node of a parsed YAML document, so that errors can say `file:line:col`. */
export class YamlPositions implements ConfigSource {
  constructor(
    readonly file: string,
    private readonly document: Document,
    private readonly lines: LineCounter,
  ) {}

  positionOf(path: ConfigPath, part: 'key' | 'value' = 'value'): SourcePosition {
    let node: unknown = this.document.contents;
    let offset = start(node) ?? 0;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        const last = i === path.length - 1;
        offset = (last && part === 'key' ? start(pair.key) : (start(pair.value) ?? start(pair.key))) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        node = node.items[segment];
        offset = start(node) ?? offset;
      } else {
        break;
      }
    }
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col };
  }
}

function start(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}
