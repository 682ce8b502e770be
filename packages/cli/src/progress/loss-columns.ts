/** A loss value as progress output shows it: 4 decimals, or 3 significant digits in exponent form when tiny. */
export function formatValue(value: number): string {
  return Math.abs(value) >= 1e-3 || value === 0 ? value.toFixed(4) : value.toExponential(2);
}

/** Column name of a logged loss term: the native loss's parts without their prefix, as Ultralytics' `box_loss`. */
export function columnName(term: string): string {
  return term.startsWith('native.') ? `${term.slice('native.'.length)}_loss` : term;
}

/** The terms progress shows: every logged loss except the gradient norm (kept in events.jsonl and results.csv). */
export function shownTerms(losses: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(losses).filter(([name]) => name !== 'gradNorm');
}

export function formatLosses(losses: Readonly<Record<string, number>>): string {
  return shownTerms(losses)
    .map(([name, value]) => `${columnName(name)} ${formatValue(value)}`)
    .join('  ');
}

/** Seconds as `m:ss` or `h:mm:ss`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
