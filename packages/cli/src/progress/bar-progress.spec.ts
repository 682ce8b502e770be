import { Writable } from 'node:stream';
import { EventBus } from '@yolo-distill/core';
import { BarProgress, type ProgressTerminal } from './bar-progress.js';

/** A terminal 160 columns wide that records what is drawn, with cursor moves and line clears removed. */
function fakeTerminal(): { terminal: ProgressTerminal; screen: () => string } {
  let written = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString();
      done();
    },
  });
  Object.assign(stream, { isTTY: true, columns: 160 });
  // eslint-disable-next-line no-control-regex
  const screen = () => written.replace(/\u001b\[[0-9;?]*[A-Za-z]|\u001b[78]/g, '');
  return { terminal: stream as unknown as ProgressTerminal, screen };
}

describe('BarProgress', () => {
  it('draws a header of loss columns, one bar per epoch with instances, size, it/s and ETA, a validation bar and the per-class table', () => {
    const { terminal, screen } = fakeTerminal();
    let now = 0;
    const events = new EventBus();
    const detach = new BarProgress(terminal, () => now).attach(events, 1);
    events.emit({ type: 'stage-start', stage: 0, name: 'distill', stageType: 'trainer.Distill' });
    events.emit({ type: 'epoch-start', stage: 0, epoch: 0, epochs: 4 });
    for (let step = 0; step < 4; step++) {
      now = 500 * (step + 1);
      events.emit({ type: 'step', stage: 0, epoch: 0, step, steps: 10, losses: { total: 2 - step / 10, 'native.box': 0.05, gradNorm: 3 }, instances: 31 + step, size: 128 });
    }
    events.emit({ type: 'epoch-end', stage: 0, epoch: 0, epochs: 4, losses: { total: 1.85 } });
    now = 3000;
    events.emit({ type: 'val-progress', stage: 0, epoch: 0, images: 64, total: 128 });
    now = 4000;
    events.emit({ type: 'val-progress', stage: 0, epoch: 0, images: 128, total: 128 });
    events.emit({ type: 'metric', stage: 0, name: 'val.map50', value: 0.5, epoch: 0 });
    events.emit({ type: 'metric', stage: 0, name: 'val.ap50.1', value: 0.25, epoch: 0 });
    events.emit({ type: 'metric', stage: 0, name: 'val.ap.1', value: 0.125, epoch: 0 });
    events.emit({ type: 'metric', stage: 0, name: 'val.ap50.0', value: 0.75, epoch: 0 });
    events.emit({ type: 'stage-end', stage: 0, name: 'distill', seconds: 4 });
    detach();
    const text = screen();
    expect(text).toContain('[1/1] distill (trainer.Distill)\n');
    expect(text).toContain(`${'Epoch'.padStart(11)}${'total'.padStart(11)}${'box_loss'.padStart(11)}${'Instances'.padStart(11)}${'Size'.padStart(11)}\n`);
    // The 4th step: 4 of 10 steps in the 1.5 s since the bar started (at the first step, 0.5 s): 2.67 it/s, 6 steps left: ETA 2 s.
    expect(text).toContain(`${'1/4'.padStart(11)}${'1.7000'.padStart(11)}${'0.0500'.padStart(11)}${'34'.padStart(11)}${'128'.padStart(11)} ━━━━━━━━──────────── 4/10 [0:02<0:02, 2.67it/s]`);
    expect(text).not.toContain('gradNorm');
    expect(text).toContain('val ━━━━━━━━━━━━━━━━━━━━ 128/128 [0:01<0:00, 128.00it/s]');
    expect(text).toContain('  val.map50 = 0.5000\n');
    expect(text).toContain(`  class        P        R    mAP50 mAP50-95\n  0            -        -    0.750        -\n  1            -        -    0.250    0.125\n  done in 4.0 s\n`);
  });
});
