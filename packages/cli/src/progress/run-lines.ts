import type { TimedRunEvent } from '@yolo-distill/core';
import { ClassTable } from './class-table.js';

/**
 * The lines both progress styles print alike: run and stage starts, skips and ends, metrics, and
 * the per-class table (collected from `val.<measure>.<cls>` metrics, printed at the stage's end).
 * Returns undefined for the events each style draws its own way (steps, epochs, validation).
 */
export class RunLines {
  private readonly classes = new ClassTable();

  constructor(private readonly stageCount: number) {}

  of(event: TimedRunEvent): string[] | undefined {
    switch (event.type) {
      case 'run-start':
        return [`run ${event.run}${event.resumed ? ' (resumed)' : ''}: backend ${event.backend}, seed ${event.seed}`];
      case 'stage-start':
        this.classes.clear();
        return [`[${event.stage + 1}/${this.stageCount}] ${event.name} (${event.stageType})`];
      case 'stage-skip':
        return [`[${event.stage + 1}/${this.stageCount}] ${event.name}: skipped, ${event.reason}`];
      case 'metric':
        return this.classes.add(event.name, event.value) ? [] : [`  ${event.name} = ${Number.isInteger(event.value) ? event.value : event.value.toFixed(4)}`];
      case 'stage-end':
        return [...this.classes.lines().map((row) => `  ${row}`), `  done in ${event.seconds.toFixed(1)} s`];
      case 'run-end':
        return [`run ${event.status} in ${event.seconds.toFixed(1)} s${event.error ? `: ${event.error}` : ''}`];
      default:
        return undefined;
    }
  }
}
