import type { EventBus, TimedRunEvent } from '@yolo-distill/core';
import type { CliIO } from './cli-io.js';

function formatLosses(losses: Record<string, number>): string {
  return Object.entries(losses)
    .map(([name, value]) => `${name} ${Math.abs(value) >= 1e-3 || value === 0 ? value.toFixed(4) : value.toExponential(2)}`)
    .join('  ');
}

/** Turns run events into progress lines on stderr; on a terminal, step lines overwrite each other. */
export class ProgressPrinter {
  private stageCount = 0;
  private pendingStepLine = false;

  constructor(private readonly io: CliIO) {}

  attach(events: EventBus, stageCount: number): () => void {
    this.stageCount = stageCount;
    return events.subscribe((event) => this.print(event));
  }

  private line(text: string): void {
    if (this.pendingStepLine) {
      this.io.stderr('\n');
      this.pendingStepLine = false;
    }
    this.io.stderr(`${text}\n`);
  }

  private print(event: TimedRunEvent): void {
    switch (event.type) {
      case 'run-start':
        this.line(`run ${event.run}${event.resumed ? ' (resumed)' : ''}: backend ${event.backend}, seed ${event.seed}`);
        break;
      case 'stage-start':
        this.line(`[${event.stage + 1}/${this.stageCount}] ${event.name} (${event.stageType})`);
        break;
      case 'stage-skip':
        this.line(`[${event.stage + 1}/${this.stageCount}] ${event.name}: skipped, ${event.reason}`);
        break;
      case 'step':
        if (this.io.interactive) {
          this.io.stderr(`\r  epoch ${event.epoch + 1} step ${event.step + 1}/${event.steps}  ${formatLosses(event.losses)}\u001b[K`);
          this.pendingStepLine = true;
        }
        break;
      case 'epoch-end':
        this.line(`  epoch ${event.epoch + 1}/${event.epochs}  ${formatLosses(event.losses)}`);
        break;
      case 'metric':
        this.line(`  ${event.name} = ${Number.isInteger(event.value) ? event.value : event.value.toFixed(4)}`);
        break;
      case 'stage-end':
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
