import { LossMonitor } from './loss-monitor.js';
import { distillTermNames } from '../distill/term-names.js';

const place = { stage: 'trainer.Distill', epoch: 0, step: 3 };

describe('LossMonitor', () => {
  it('stops on a NaN or infinite term, naming it', () => {
    const monitor = new LossMonitor(100);
    expect(() => monitor.check({ native: 1, 'FeatureL2[neck.0]': Number.NaN }, {}, place)).toThrow(/'FeatureL2\[neck.0\]' is NaN at epoch 1, step 4/);
    expect(() => monitor.check({ native: 1 }, { 'native.box': Number.POSITIVE_INFINITY }, place)).toThrow(/'native.box' is Infinity/);
  });

  it('stops when one component exceeds 100x the others once warmed up, and not before', () => {
    const monitor = new LossMonitor(100, 3);
    monitor.check({ native: 1, ChannelWiseKL: 500 }, {}, place);
    monitor.check({ native: 1, ChannelWiseKL: 500 }, {}, place);
    expect(() => monitor.check({ native: 1, ChannelWiseKL: 500 }, {}, place)).toThrow(/'ChannelWiseKL' dominates the total by 500x \(limit 100x\)/);
  });

  it('stops a diverging loss (total up 1000x from where it stood after warm-up), naming the term that grew most', () => {
    const monitor = new LossMonitor(0, 2);
    monitor.check({ native: 1, FeatureL2: 0.5 }, {}, place);
    monitor.check({ native: 1, FeatureL2: 0.5 }, {}, place);
    // Smoothed (0.9 old + 0.1 new): native 1 -> 1.0e4 + 0.9, FeatureL2 0.5 -> 0.55; the total 1.5 -> 10001.45.
    expect(() => monitor.check({ native: 1e5, FeatureL2: 1 }, {}, place)).toThrow(
      "trainer.Distill: the loss exploded: the total grew from 1.50 to 1.00e+4 (more than 1000x, smoothed) by epoch 1, step 4; term 'native' grew most (1.00 -> 1.00e+4); lower the learning rate or that term's weight",
    );
  });

  it('lets a loss grow 100x (a term warming up) without stopping', () => {
    const monitor = new LossMonitor(0, 1);
    monitor.check({ native: 1 }, {}, place);
    for (let i = 0; i < 50; i++) monitor.check({ native: 100 }, {}, place);
  });

  it('ignores zero components (a loss still warming up) and can be switched off', () => {
    const monitor = new LossMonitor(100, 1);
    monitor.check({ native: 1, DecoupledHead: 0 }, {}, place);
    const off = new LossMonitor(0, 1);
    off.check({ native: 1, ChannelWiseKL: 1e6 }, {}, place);
  });
});

describe('distillTermNames', () => {
  it('drops the package, adds the student tap and numbers repeats', () => {
    const loss = (name: string, tap?: string) => ({ name, taps: tap ? [{ student: tap, teacher: tap }] : [], compute: () => undefined as never });
    expect(distillTermNames([loss('losses.FeatureL2', 'neck.0'), loss('losses.DecoupledHead'), loss('losses.FeatureL2', 'neck.0')])).toEqual([
      'FeatureL2[neck.0]',
      'DecoupledHead',
      'FeatureL2[neck.0]#2',
    ]);
  });
});
