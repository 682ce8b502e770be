import { SingleBar } from 'cli-progress';
import type { EventBus, TimedRunEvent } from '@yolo-distill/core';
import { ClassTable } from './class-table.js';
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
  private stageCount = 0;
  private bar: SingleBar | undefined;
  private barStarted = 0;
  private header = '';
  private epochs = 0;
  private readonly classes = new ClassTable();

  constructor(
    private readonly terminal: ProgressTerminal,
    private readonly now: () => number = Date.now,
  ) {}

  attach(events: EventBus, stageCount: number): () => void {
    this.stageCount = stageCount;
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
    switch (event.type) {
      case 'run-start':
        this.line(`run ${event.run}${event.resumed ? ' (resumed)' : ''}: backend ${event.backend}, seed ${event.seed}`);
        break;
      case 'stage-start':
        this.classes.clear();
        this.header = '';
        this.line(`[${event.stage + 1}/${this.stageCount}] ${event.name} (${event.stageType})`);
        break;
      case 'stage-skip':
        this.line(`[${event.stage + 1}/${this.stageCount}] ${event.name}: skipped, ${event.reason}`);
        break;
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
      case 'metric':
        if (!this.classes.add(event.name, event.value)) this.line(`  ${event.name} = ${Number.isInteger(event.value) ? event.value : event.value.toFixed(4)}`);
        break;
      case 'stage-end':
        for (const row of this.classes.lines()) this.line(`  ${row}`);
        this.line(`  done in ${event.seconds.toFixed(1)} s`);
        break;
      case 'run-end':
        this.line(`run ${event.status} in ${event.seconds.toFixed(1)} s${event.error ? `: ${event.error}` : ''}`);
        break;
      default:
        break;
    }
  }
}
