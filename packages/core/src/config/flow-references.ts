/** `${NAME}`, `${NAME:-default}` or `${NAME:?message}`, as in a POSIX shell. */
export const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-?])([^}]*))?\}/g;

/** Where a plain scalar was quoted by `quoteFlowReferences`: its offset in the quoted text. */
export interface QuotedReference {
  readonly offset: number;
}

/**
 * `{ root: ${DATA}, imgsz: 640 }` is a YAML syntax error: inside a flow collection `{` opens a mapping.
 * This quotes each plain scalar there that holds a `${...}` reference (`'${DATA}'`), so the text parses
 * and substitution proceeds as for any scalar. Only lengths within a line change (2 characters per
 * quoted scalar), so line numbers of every error stay right. Returns the offsets of the quoted scalars,
 * whose substituted value is then read as a plain scalar would be (`${IMGSZ}` -> the number 640).
 */
export function quoteFlowReferences(text: string): { readonly text: string; readonly quoted: readonly QuotedReference[] } {
  let out = '';
  const quoted: QuotedReference[] = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop);
      i = stop;
      continue;
    }
    if ((c === '"' || c === "'") && startsFlow(text, i)) {
      const stop = closingQuote(text, i);
      out += text.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '{' || c === '[') {
      if (depth > 0 || startsFlow(text, i)) depth += 1;
    } else if ((c === '}' || c === ']') && depth > 0) depth -= 1;
    if (depth > 0 && c === '$' && text[i + 1] === '{' && startsScalar(text, i)) {
      const stop = plainScalarEnd(text, i);
      const scalar = text.slice(i, stop).trimEnd();
      quoted.push({ offset: out.length });
      out += `'${scalar.replace(/'/g, "''")}'`;
      i += scalar.length;
      continue;
    }
    out += c;
    i += 1;
  }
  return { text: out, quoted };
}

/** Whether the `{`, `[` or quote at `i` opens a collection or quoted scalar (after `: `, `- `, `[`, `{`, `,` or at a line's start), not a character inside a plain scalar. */
function startsFlow(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
  if (j < 0 || text[j] === '\n') return true;
  const before = text[j] as string;
  return before === ':' || before === '-' || before === ',' || before === '[' || before === '{' || before === '?';
}

/** Whether the `$` at `i` begins a scalar in a flow collection (after `{`, `[`, `,` or `: `). */
function startsScalar(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t' || text[j] === '\n' || text[j] === '\r')) j--;
  const before = text[j];
  return before === '{' || before === '[' || before === ',' || before === ':';
}

/** The end of a plain scalar in a flow collection: the next `,`, `}`, `]`, ` #` or line end outside a `${...}`. */
function plainScalarEnd(text: string, i: number): number {
  let j = i;
  let inReference = false;
  while (j < text.length) {
    const c = text[j] as string;
    if (inReference) {
      if (c === '}') inReference = false;
    } else if (c === '$' && text[j + 1] === '{') {
      inReference = true;
      j += 1;
    } else if (c === ',' || c === '}' || c === ']' || c === '\n' || (c === '#' && /\s/.test(text[j - 1] as string))) break;
    j += 1;
  }
  return j;
}

/** The index just past the quoted scalar that starts at `i` (`''` escapes in single quotes, `\"` in double). */
function closingQuote(text: string, i: number): number {
  const quote = text[i];
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (quote === '"' && c === '\\') j += 2;
    else if (c === quote) {
      if (quote === "'" && text[j + 1] === "'") j += 2;
      else return j + 1;
    } else j += 1;
  }
  return j;
}
