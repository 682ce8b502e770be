import { describe, expect, it } from 'vitest';
import { parseWith, ConfigLocation, InlineConfigSource } from '@yolo-distill/core';
import { z } from 'zod';
import { baseWeight, relativeWeight, scheduleFactor, termScale, termWeightKeys } from './term-weight.js';

const schema = z.strictObject({ ...termWeightKeys });
const parse = (raw: unknown) => parseWith(schema, raw, new ConfigLocation(new InlineConfigSource('test')));
const at = (epoch: number, epochs: number) => ({ epoch, epochs, step: 0 });

describe('term weights', () => {
  it('reads a fixed weight and a relative one', () => {
    expect(baseWeight(parse({ weight: 0.3 }))).toBe(0.3);
    expect(relativeWeight(parse({ weight: 0.3 }))).toBeUndefined();
    const relative = parse({ weight: { relative: 0.4 } });
    expect(baseWeight(relative)).toBe(1);
    expect(relativeWeight(relative)).toBe(0.4);
    expect(() => parse({ weight: { relative: 0 } })).toThrow(/relative/);
  });

  it('decays by a half cosine from 1 to `to` over the stage', () => {
    const config = parse({ decay: { type: 'cosine', to: 0.1 } });
    expect(scheduleFactor(config, at(0, 10))).toBeCloseTo(1, 12);
    // epoch 5 of 10: progress 0.5, cos(pi/2) = 0 -> 0.1 + 0.9 * 0.5
    expect(scheduleFactor(config, at(5, 10))).toBeCloseTo(0.55, 12);
    // epoch 9 of 10: 0.1 + 0.9 * 0.5 * (1 + cos(0.9 pi))
    expect(scheduleFactor(config, at(9, 10))).toBeCloseTo(0.1 + 0.45 * (1 + Math.cos(0.9 * Math.PI)), 12);
  });

  it('switches the term off for the epochs after `until`', () => {
    const config = parse({ weight: 2, until: 0.9 });
    expect(termScale(config, at(8, 10))).toBe(2);
    expect(termScale(config, at(9, 10))).toBe(0);
    // never off from the first epoch on, however short the stage
    expect(termScale(config, at(0, 1))).toBe(2);
    expect(termScale(parse({ until: 0.5 }), at(2, 5))).toBe(0);
  });

  it('ignores decay and until while the trainer calibrates', () => {
    const config = parse({ weight: 3, until: 0.5, decay: { type: 'cosine' } });
    expect(termScale(config, { ...at(9, 10), calibrating: true })).toBe(3);
  });
});
