/** A bench child's result: one JSON line on stdout, after whatever the run itself printed. */
export const RESULT_MARK = '@@bench-result ';

export function emitResult(result: unknown): void {
  process.stdout.write(`\n${RESULT_MARK}${JSON.stringify(result)}\n`);
}

export function parseResult<T>(stdout: string): T | undefined {
  const line = stdout.split('\n').find((text) => text.startsWith(RESULT_MARK));
  return line ? (JSON.parse(line.slice(RESULT_MARK.length)) as T) : undefined;
}
