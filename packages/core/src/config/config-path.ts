/** A path into a config tree: keys and array indices, e.g. `['stages', 1, 'losses', 'cls']`. */
export type ConfigPath = readonly (string | number)[];

/** `['stages', 1, 'losses', 'cls']` -> `stages[1].losses.cls`. */
export function formatPath(path: ConfigPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text === '' ? '(root)' : text;
}

/** `stages[1].losses.cls` or `stages.1.losses.cls` -> `['stages', 1, 'losses', 'cls']`. */
export function parsePath(text: string): ConfigPath {
  const path: (string | number)[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]/g;
  let consumed = 0;
  for (const match of text.matchAll(pattern)) {
    const between = text.slice(consumed, match.index);
    // A key follows the start, a `.` or a `]`; an index follows a key or another index, never a `.`.
    const isKey = match[1] !== undefined;
    const separated = consumed === 0 ? between === '' : isKey ? between === '.' : between === '';
    if (!separated) throw new Error(`'${text}' is not a key path like a.b[1].c`);
    consumed = match.index + match[0].length;
    if (match[2] !== undefined) path.push(Number(match[2]));
    else if (/^\d+$/.test(match[1] as string)) path.push(Number(match[1]));
    else path.push(match[1] as string);
  }
  if (path.length === 0 || consumed !== text.length) throw new Error(`'${text}' is not a key path like a.b[1].c`);
  return path;
}

/** The value at `path` inside a plain JS tree, or undefined. */
export function valueAt(tree: unknown, path: ConfigPath): unknown {
  let node = tree;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}
