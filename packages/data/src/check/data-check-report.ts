import type { Split } from '@yolo-distill/core';
import { formatLabelProblem, type LabelProblem } from '../yolo-labels.js';

/** Counts of one split. `background` images have no objects (an empty or a missing label file). */
export interface SplitCounts {
  readonly images: number;
  readonly objects: number;
  readonly background: number;
  /** Images without a label file (counted as background too). */
  readonly missingLabels: number;
  /** Objects per class name, in class order. */
  readonly perClass: Readonly<Record<string, number>>;
}

/** What a data check found: counts per split, the class histogram and every problem. */
export interface DataCheckReport {
  readonly root: string;
  readonly classNames: readonly string[];
  readonly splits: Readonly<Record<Split, SplitCounts>>;
  readonly problems: readonly LabelProblem[];
}

export const SPLITS: readonly Split[] = ['train', 'val'];

/** A mutable tally for one split, turned into SplitCounts at the end. */
export class SplitTally {
  images = 0;
  objects = 0;
  background = 0;
  missingLabels = 0;
  private readonly perClass: number[];

  constructor(private readonly classNames: readonly string[]) {
    this.perClass = classNames.map(() => 0);
  }

  /** Counts one image with the classes of its (valid) objects. */
  add(classes: readonly number[], missingLabels = false): void {
    this.images++;
    this.objects += classes.length;
    if (classes.length === 0) this.background++;
    if (missingLabels) this.missingLabels++;
    for (const cls of classes) if (cls >= 0 && cls < this.perClass.length) this.perClass[cls] = (this.perClass[cls] as number) + 1;
  }

  counts(): SplitCounts {
    const perClass = Object.fromEntries(this.classNames.map((name, i) => [name, this.perClass[i] as number]));
    return { images: this.images, objects: this.objects, background: this.background, missingLabels: this.missingLabels, perClass };
  }
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd());
}

/** The report as text: a table of splits, a table of classes, then the problems (at most `maxProblems`). */
/** The report as tables, then its problems (`maxProblems` 0: the tables only, for callers that print the problems themselves). */
export function formatDataCheck(report: DataCheckReport, maxProblems = 20): string {
  const lines = [`data check: ${report.root} (${report.classNames.length} classes)`];
  lines.push(
    ...table([
      ['split', 'images', 'objects', 'background', 'no labels'],
      ...SPLITS.map((split) => {
        const counts = report.splits[split];
        return [split, String(counts.images), String(counts.objects), String(counts.background), String(counts.missingLabels)];
      }),
    ]),
  );
  lines.push('');
  lines.push(...table([['class', ...SPLITS], ...report.classNames.map((name) => [name, ...SPLITS.map((split) => String(report.splits[split].perClass[name] ?? 0))])]));
  if (maxProblems > 0) {
    lines.push('');
    lines.push(...formatProblems(report.problems, maxProblems));
  }
  return lines.join('\n');
}

/** `no problems`, or a count followed by the first `max` problems, one per line. */
export function formatProblems(problems: readonly LabelProblem[], max = 20): string[] {
  if (problems.length === 0) return ['no problems'];
  const lines = [`${problems.length} problem${problems.length === 1 ? '' : 's'}:`, ...problems.slice(0, max).map((problem) => `  ${formatLabelProblem(problem)}`)];
  if (problems.length > max) lines.push(`  ... and ${problems.length - max} more`);
  return lines;
}
