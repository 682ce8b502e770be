import type { EventBus, TimedRunEvent } from '@yolo-distill/core';
import type { CliIO } from '../cli-io.js';
import { RunLines } from './run-lines.js';
import { formatDuration, formatLosses } from './loss-columns.js';

/** Turns run events into plain progress lines on stderr (no terminal control): CI logs, pipes, files. */
export class PlainProgress {
  private lines = new RunLines(0);
  private epochStarted = 0;
  private epochSteps = 0;

  constructor(private readonly io: CliIO) {}

  attach(events: EventBus, stageCount: number): () => void {
    this.lines = new RunLines(stageCount);
    return events.subscribe((event) => this.print(event));
  }

  private line(text: string): void {
    this.io.stderr(`${text}\n`);
  }

  private print(event: TimedRunEvent): void {
    const shared = this.lines.of(event);
    if (shared) {
      for (const text of shared) this.line(text);
      return;
    }
    switch (event.type) {
      case 'epoch-start':
        this.epochStarted = Date.parse(event.time);
        this.epochSteps = 0;
        break;
      case 'step':
        this.epochSteps = event.step + 1;
        break;
      case 'epoch-end': {
        const seconds = (Date.parse(event.time) - this.epochStarted) / 1000;
        const rate = seconds > 0 && this.epochSteps > 0 ? `  ${(this.epochSteps / seconds).toFixed(2)} it/s` : '';
        this.line(`  epoch ${event.epoch + 1}/${event.epochs}  ${formatLosses(event.losses)}  [${formatDuration(seconds)}${rate}]`);
        break;
      }
      default:
        break;
    }
  }
}
