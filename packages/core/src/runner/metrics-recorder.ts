import type { EventBus } from '../services/event-bus.js';

export interface MetricRecord {
  readonly stage: number;
  readonly name: string;
  readonly value: number;
  readonly epoch?: number;
}

function keyOf(record: MetricRecord): string {
  return `${record.stage}\u0000${record.name}\u0000${record.epoch ?? ''}`;
}

/**
 * Collects metric events into `metrics.json`: the last value of each metric per stage, and the history.
 * A value measured again (same stage, name and epoch, as after a resume) replaces the earlier one in place.
 */
export class MetricsRecorder {
  readonly history: MetricRecord[] = [];
  private readonly indexOf = new Map<string, number>();
  private readonly unsubscribe: () => void;

  constructor(
    events: EventBus,
    private readonly stageNames: readonly string[],
    previous?: { history?: MetricRecord[] },
  ) {
    for (const record of previous?.history ?? []) this.record(record);
    this.unsubscribe = events.on('metric', ({ stage, name, value, epoch }) => {
      this.record(epoch === undefined ? { stage, name, value } : { stage, name, value, epoch });
    });
  }

  private record(record: MetricRecord): void {
    const key = keyOf(record);
    const earlier = this.indexOf.get(key);
    if (earlier === undefined) {
      this.indexOf.set(key, this.history.length);
      this.history.push(record);
    } else this.history[earlier] = record;
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
