import type { EventBus } from '../services/event-bus.js';

export interface MetricRecord {
  readonly stage: number;
  readonly name: string;
  readonly value: number;
  readonly epoch?: number;
}

/** Collects metric events into `metrics.json`: the last value of each metric per stage, and the history. */
export class MetricsRecorder {
  readonly history: MetricRecord[] = [];
  private readonly unsubscribe: () => void;

  constructor(
    events: EventBus,
    private readonly stageNames: readonly string[],
    previous?: { history?: MetricRecord[] },
  ) {
    if (previous?.history) this.history.push(...previous.history);
    this.unsubscribe = events.on('metric', ({ stage, name, value, epoch }) => {
      this.history.push(epoch === undefined ? { stage, name, value } : { stage, name, value, epoch });
    });
  }

  dispose(): void {
    this.unsubscribe();
  }

  toJSON(): { final: Record<string, Record<string, number>>; history: MetricRecord[] } {
    const final: Record<string, Record<string, number>> = {};
    for (const record of this.history) {
      const stageName = this.stageNames[record.stage] ?? String(record.stage);
      (final[stageName] ??= {})[record.name] = record.value;
    }
    return { final, history: this.history };
  }
}
