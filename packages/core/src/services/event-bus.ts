import type { EventOf, RunEvent, RunEventType, TimedRunEvent } from './events.js';

export type RunEventListener = (event: TimedRunEvent) => void;

/** Typed publish/subscribe for run events. Listeners run synchronously, in subscription order. */
export class EventBus {
  private readonly listeners = new Set<RunEventListener>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  emit(event: RunEvent): void {
    const timed: TimedRunEvent = { ...event, time: this.now().toISOString() };
    for (const listener of this.listeners) listener(timed);
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: RunEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to one event type. */
  on<T extends RunEventType>(type: T, listener: (event: EventOf<T> & { time: string }) => void): () => void {
    return this.subscribe((event) => {
      if (event.type === type) listener(event as EventOf<T> & { time: string });
    });
  }
}
