import type { TimedRunEvent } from '../services/events.js';

/** The events of an `events.jsonl`, in order; a line that is not JSON (the torn last line of a killed run) is skipped. */
export function parseEventLines(text: string): TimedRunEvent[] {
  const events: TimedRunEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      events.push(JSON.parse(line) as TimedRunEvent);
    } catch {
      // torn by a kill mid-write
    }
  }
  return events;
}
