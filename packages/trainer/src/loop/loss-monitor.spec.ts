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
