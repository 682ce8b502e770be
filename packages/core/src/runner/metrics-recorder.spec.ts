import { EventBus } from '../services/event-bus.js';
import { MetricsRecorder } from './metrics-recorder.js';

describe('MetricsRecorder', () => {
  it('keeps the history and the last value of each metric per stage name', () => {
    const events = new EventBus();
    const recorder = new MetricsRecorder(events, ['distill', 'finetune']);
    events.emit({ type: 'metric', stage: 0, name: 'loss', value: 2, epoch: 0 });
    events.emit({ type: 'metric', stage: 0, name: 'loss', value: 1, epoch: 1 });
    events.emit({ type: 'step', stage: 0, epoch: 1, step: 0, steps: 1, losses: { total: 9 } });
    events.emit({ type: 'metric', stage: 1, name: 'mAP50', value: 0.4 });
    events.emit({ type: 'metric', stage: 5, name: 'odd', value: 7 });
    expect(recorder.toJSON()).toEqual({
      final: { distill: { loss: 1 }, finetune: { mAP50: 0.4 }, '5': { odd: 7 } },
      history: [
        { stage: 0, name: 'loss', value: 2, epoch: 0 },
        { stage: 0, name: 'loss', value: 1, epoch: 1 },
        { stage: 1, name: 'mAP50', value: 0.4 },
        { stage: 5, name: 'odd', value: 7 },
      ],
    });
    expect(JSON.parse(JSON.stringify(recorder))).toEqual(recorder.toJSON());
  });

  it('continues the history of a previous attempt', () => {
    const events = new EventBus();
    const recorder = new MetricsRecorder(events, ['a', 'b'], { history: [{ stage: 0, name: 'loss', value: 3 }] });
    events.emit({ type: 'metric', stage: 1, name: 'loss', value: 2 });
    expect(recorder.toJSON().final).toEqual({ a: { loss: 3 }, b: { loss: 2 } });
    expect(recorder.toJSON().history).toHaveLength(2);
  });

  it('stops listening when disposed', () => {
    const events = new EventBus();
    const recorder = new MetricsRecorder(events, ['a']);
    recorder.dispose();
    events.emit({ type: 'metric', stage: 0, name: 'loss', value: 1 });
    expect(recorder.history).toEqual([]);
  });
});
