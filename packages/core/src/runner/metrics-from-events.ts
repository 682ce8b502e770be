import type { MetricRecord } from './metrics-recorder.js';

/** Every `metric` event of an `events.jsonl`, in order; a torn last line (a kill mid-write) is skipped. */
export function metricsFromEvents(text: string): MetricRecord[] {
  const records: MetricRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"metric"')) continue;
    let event: { type?: unknown; stage?: unknown; name?: unknown; value?: unknown; epoch?: unknown };
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      continue;
    }
    if (event.type !== 'metric' || typeof event.stage !== 'number' || typeof event.name !== 'string' || typeof event.value !== 'number') continue;
    records.push(typeof event.epoch === 'number' ? { stage: event.stage, name: event.name, value: event.value, epoch: event.epoch } : { stage: event.stage, name: event.name, value: event.value });
  }
  return records;
}
