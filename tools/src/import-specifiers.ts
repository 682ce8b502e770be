/** One module specifier a source file names, and how: `from`/side-effect import, or a dynamic `import()`. */
export interface ImportSpecifier {
  readonly specifier: string;
  readonly dynamic: boolean;
  /** 1-based line of the specifier. */
  readonly line: number;
}

// `import x from '...'`, `export { x } from '...'`, `import type ... from '...'`, `import '...'`.
const STATIC = /(?:\bfrom\s*|\bimport\s+)(['"])([^'"\n]+)\1/g;
// `import('...')`, `import("...")`, `import(`...`)` (a literal without interpolation), across lines.
const DYNAMIC = /\bimport\s*\(\s*(?:(['"])([^'"\n]+)\1|`([^`$\n]+)`)\s*[,)]/g;

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Blanks out comments (keeping line breaks and string contents), so that a commented-out import is not read. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|(^|[^:'"`\\])\/\/[^\n]*/g, (match, lead: string | undefined) => {
    const kept = lead ?? '';
    const body = match.slice(kept.length);
    return kept + body.replace(/[^\n]/g, ' ');
  });
}

/** Every literal module specifier in a TypeScript source, static and dynamic, in order of appearance. */
export function importSpecifiers(source: string): ImportSpecifier[] {
  const text = withoutComments(source);
  const found: (ImportSpecifier & { index: number })[] = [];
  for (const match of text.matchAll(STATIC)) {
    found.push({ specifier: match[2] as string, dynamic: false, line: lineOf(text, match.index), index: match.index });
  }
  for (const match of text.matchAll(DYNAMIC)) {
    found.push({ specifier: (match[2] ?? match[3]) as string, dynamic: true, line: lineOf(text, match.index), index: match.index });
  }
  return found.sort((a, b) => a.index - b.index).map(({ specifier, dynamic, line }) => ({ specifier, dynamic, line }));
}

/** A workspace specifier split into its package and subpath: `@yolo-distill/yolo/testing` -> `['@yolo-distill/yolo', './testing']`. */
export function splitWorkspaceSpecifier(specifier: string, scope = '@yolo-distill/'): { readonly name: string; readonly subpath: string } | undefined {
  if (!specifier.startsWith(scope)) return undefined;
  const rest = specifier.slice(scope.length);
  const slash = rest.indexOf('/');
  if (slash < 0) return { name: specifier, subpath: '.' };
  return { name: scope + rest.slice(0, slash), subpath: `./${rest.slice(slash + 1)}` };
}
