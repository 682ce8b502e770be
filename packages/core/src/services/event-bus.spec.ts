import { EventBus } from './event-bus.js';
import type { TimedRunEvent } from './events.js';

const clock = () => {
  let tick = 0;
  return () => new Date(Date.UTC(2024, 0, 1, 0, 0, tick++));
};

describe('EventBus', () => {
  it('stamps every event with the time and delivers it to every listener in order', () => {
    const bus = new EventBus(clock());
    const seen: string[] = [];
    bus.subscribe((event) => seen.push(`a:${event.type}@${event.time}`));
    bus.subscribe((event) => seen.push(`b:${event.type}@${event.time}`));
    bus.emit({ type: 'stage-start', stage: 0, name: 'x', stageType: 't.X' });
    bus.emit({ type: 'stage-end', stage: 0, name: 'x', seconds: 1 });
    expect(seen).toEqual([
      'a:stage-start@2024-01-01T00:00:00.000Z',
      'b:stage-start@2024-01-01T00:00:00.000Z',
      'a:stage-end@2024-01-01T00:00:01.000Z',
      'b:stage-end@2024-01-01T00:00:01.000Z',
    ]);
  });

  it('passes the event fields through unchanged', () => {
    const bus = new EventBus(clock());
    const seen: TimedRunEvent[] = [];
    bus.subscribe((event) => seen.push(event));
    bus.emit({ type: 'metric', stage: 1, name: 'mAP50', value: 0.5, epoch: 3 });
    expect(seen).toEqual([{ type: 'metric', stage: 1, name: 'mAP50', value: 0.5, epoch: 3, time: '2024-01-01T00:00:00.000Z' }]);
  });

  it('filters by type with on()', () => {
    const bus = new EventBus(clock());
    const values: number[] = [];
    bus.on('metric', (event) => values.push(event.value));
    bus.emit({ type: 'metric', stage: 0, name: 'loss', value: 2 });
    bus.emit({ type: 'checkpoint', stage: 0, label: 'epoch-0', path: '/x' });
    bus.emit({ type: 'metric', stage: 0, name: 'loss', value: 1 });
    expect(values).toEqual([2, 1]);
  });

  it('stops delivering after unsubscribe', () => {
    const bus = new EventBus();
    let count = 0;
    const off = bus.subscribe(() => count++);
    const offMetric = bus.on('metric', () => count++);
    bus.emit({ type: 'metric', stage: 0, name: 'l', value: 0 });
    off();
    offMetric();
    bus.emit({ type: 'metric', stage: 0, name: 'l', value: 0 });
    expect(count).toBe(2);
  });

  it('uses the real clock by default', () => {
    const bus = new EventBus();
    let time = '';
    bus.subscribe((event) => (time = event.time));
    const before = Date.now();
    bus.emit({ type: 'run-end', status: 'completed', seconds: 0 });
    expect(Date.parse(time)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(time)).toBeLessThanOrEqual(Date.now() + 1000);
  });
});
