import { SingleBar } from 'cli-progress';
import type { EventBus, TimedRunEvent } from '@yolo-distill/core';
import { RunLines } from './run-lines.js';
import { columnName, formatDuration, formatValue, shownTerms } from './loss-columns.js';

/** The terminal a bar draws on (process.stderr, or a test's fake). */
export interface ProgressTerminal extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

interface BarPayload {
  readonly label: string;
  readonly columns: string;
  readonly rate: string;
  readonly elapsed: string;
  readonly eta: string;
}

const CELL = 11;
const cell = (text: string) => text.padStart(CELL);

/**
 * Progress on a terminal, as Ultralytics shows it: a header of loss columns, then one bar per epoch
 * (epoch, running loss terms, instances, size, it/s, ETA) that stays on screen when the epoch ends,
 * a validation bar, and the per-class table at the end of a stage. Bars are cli-progress's.
 */
export class BarProgress {
  private bar: SingleBar | undefined;
  private barStarted = 0;
  private header = '';
  private epochs = 0;
  private lines = new RunLines(0);

  constructor(
    private readonly terminal: ProgressTerminal,
    private readonly now: () => number = Date.now,
  ) {}

  attach(events: EventBus, stageCount: number): () => void {
    this.lines = new RunLines(stageCount);
    const unsubscribe = events.subscribe((event) => this.print(event));
    return () => {
      unsubscribe();
      this.stopBar();
    };
  }

  private line(text: string): void {
    this.stopBar();
    this.terminal.write(`${text}\n`);
  }

  private startBar(label: string, total: number): void {
    this.stopBar();
    this.bar = new SingleBar(
      {
        stream: this.terminal,
        format: (options, params, payload: BarPayload) => {
          const width = options.barsize ?? 20;
          const filled = Math.round(params.progress * width);
          const bar = `${'━'.repeat(filled)}${'─'.repeat(width - filled)}`;
          return `${payload.label}${payload.columns} ${bar} ${params.value}/${params.total} [${payload.elapsed}<${payload.eta}, ${payload.rate}]`;
        },
        barsize: 20,
        hideCursor: false,
        clearOnComplete: false,
        stopOnComplete: false,
        linewrap: false,
        fps: 5,
      },
    );
    this.barStarted = this.now();
    this.bar.start(total, 0, this.payload(label, '', 0, total));
  }

  private payload(label: string, columns: string, done: number, total: number): BarPayload {
    const seconds = (this.now() - this.barStarted) / 1000;
    const rate = seconds > 0 && done > 0 ? done / seconds : 0;
    return {
      label,
      columns,
      rate: rate > 0 ? (rate >= 1 ? `${rate.toFixed(2)}it/s` : `${(1 / rate).toFixed(2)}s/it`) : '?it/s',
      elapsed: formatDuration(seconds),
      eta: rate > 0 ? formatDuration((total - done) / rate) : '?',
    };
  }

  private stopBar(): void {
    if (!this.bar) return;
    this.bar.stop();
    this.bar = undefined;
  }

  private print(event: TimedRunEvent): void {
    if (event.type === 'stage-start') this.header = '';
    const shared = this.lines.of(event);
    if (shared) {
      for (const text of shared) this.line(text);
      return;
    }
    switch (event.type) {
      case 'step': {
        const terms = shownTerms(event.losses);
        const header = `${cell('Epoch')}${terms.map(([name]) => cell(columnName(name))).join('')}${cell('Instances')}${cell('Size')}`;
        if (header !== this.header) {
          this.line(header);
          this.header = header;
        }
        const epochLabel = cell(`${event.epoch + 1}/${this.epochs}`);
        const columns = `${terms.map(([, value]) => cell(formatValue(value))).join('')}${cell(event.instances === undefined ? '-' : String(event.instances))}${cell(event.size === undefined ? '-' : String(event.size))}`;
        if (!this.bar || event.step === 0) this.startBar(epochLabel, event.steps);
        this.bar?.update(event.step + 1, this.payload(epochLabel, columns, event.step + 1, event.steps));
        break;
      }
      case 'epoch-start':
        this.epochs = event.epochs;
        break;
      case 'epoch-end':
        this.stopBar();
        break;
      case 'val-progress': {
        const label = `${cell('')}${cell('val')}`;
        if (!this.bar || event.images <= 0 || this.bar.getTotal() !== event.total) this.startBar(label, event.total);
        this.bar?.update(event.images, this.payload(label, '', event.images, event.total));
        if (event.images >= event.total) this.stopBar();
        break;
      }
      default:
        break;
    }
  }
}
