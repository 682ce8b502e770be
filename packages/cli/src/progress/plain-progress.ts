import type { EventBus, TimedRunEvent } from '@yolo-distill/core';
import type { CliIO } from '../cli-io.js';
import { ClassTable } from './class-table.js';
import { formatDuration, formatLosses } from './loss-columns.js';

/** Turns run events into plain progress lines on stderr (no terminal control): CI logs, pipes, files. */
export class PlainProgress {
  private stageCount = 0;
  private readonly classes = new ClassTable();
  private epochStarted = 0;
  private epochSteps = 0;

  constructor(private readonly io: CliIO) {}

  attach(events: EventBus, stageCount: number): () => void {
    this.stageCount = stageCount;
    return events.subscribe((event) => this.print(event));
  }

  private line(text: string): void {
    this.io.stderr(`${text}\n`);
  }

  private print(event: TimedRunEvent): void {
    switch (event.type) {
      case 'run-start':
        this.line(`run ${event.run}${event.resumed ? ' (resumed)' : ''}: backend ${event.backend}, seed ${event.seed}`);
        break;
      case 'stage-start':
        this.classes.clear();
        this.line(`[${event.stage + 1}/${this.stageCount}] ${event.name} (${event.stageType})`);
        break;
      case 'stage-skip':
        this.line(`[${event.stage + 1}/${this.stageCount}] ${event.name}: skipped, ${event.reason}`);
        break;
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
