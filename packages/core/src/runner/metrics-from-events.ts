import type { MetricRecord } from './metrics-recorder.js';
import { parseEventLines } from './event-lines.js';

/** Every `metric` event of an `events.jsonl`, in order; a torn last line (a kill mid-write) is skipped. */
export function metricsFromEvents(text: string): MetricRecord[] {
  return parseEventLines(text).flatMap((event) => {
    if (event.type !== 'metric' || typeof event.stage !== 'number' || typeof event.name !== 'string' || typeof event.value !== 'number') return [];
    return [typeof event.epoch === 'number' ? { stage: event.stage, name: event.name, value: event.value, epoch: event.epoch } : { stage: event.stage, name: event.name, value: event.value }];
  });
}
