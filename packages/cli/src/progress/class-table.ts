/** Per-class validation numbers of one stage, from `val.<measure>.<class>` metrics. */
export interface ClassRow {
  readonly cls: string;
  readonly ap50?: number;
  readonly ap?: number;
  readonly precision?: number;
  readonly recall?: number;
}


/** Collects `val.ap50.3`-style metric names into rows by class. */
export class ClassTable {
  private readonly rows = new Map<string, Record<string, number>>();

  /** Takes a metric; returns whether it was a per-class one. */
  add(name: string, value: number): boolean {
    const match = /^val\.(ap50|ap|precision|recall)\.(.+)$/.exec(name);
    if (!match) return false;
    const [, measure, cls] = match as unknown as [string, string, string];
    const row = this.rows.get(cls) ?? {};
    row[measure] = value;
    this.rows.set(cls, row);
    return true;
  }

  clear(): void {
    this.rows.clear();
  }

  get size(): number {
    return this.rows.size;
  }

  /** The table as text lines: a header, then one line per class (numeric classes in numeric order). */
  lines(names?: readonly string[]): string[] {
    if (this.rows.size === 0) return [];
    const label = (cls: string) => (names && /^\d+$/.test(cls) ? (names[Number(cls)] ?? cls) : cls);
    const entries = [...this.rows].sort(([a], [b]) => (Number(a) - Number(b)) || a.localeCompare(b));
    const width = Math.max(5, ...entries.map(([cls]) => label(cls).length));
    const cell = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(3)).padStart(9);
    const header = `${'class'.padEnd(width)}${'P'.padStart(9)}${'R'.padStart(9)}${'mAP50'.padStart(9)}${'mAP50-95'.padStart(9)}`;
    return [header, ...entries.map(([cls, row]) => `${label(cls).padEnd(width)}${cell(row['precision'])}${cell(row['recall'])}${cell(row['ap50'])}${cell(row['ap'])}`)];
  }
}
