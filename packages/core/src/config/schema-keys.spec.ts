import { z } from 'zod';
import { knownKeysAt } from './schema-keys.js';

describe('knownKeysAt', () => {
  const schema = z.strictObject({
    epochs: z.int(),
    lr: z.number().default(0.01),
    losses: z.record(z.string(), z.strictObject({ weight: z.number(), temperature: z.number().optional() })),
    augment: z.array(z.strictObject({ p: z.number() })).optional(),
    schedule: z
      .strictObject({ warmup: z.int(), decay: z.enum(['cos', 'linear']) })
      .optional()
      .default({ warmup: 0, decay: 'cos' }),
    piped: z.strictObject({ inner: z.number() }).transform((value) => value.inner),
    scalar: z.string(),
  });

  it('lists the keys of the top object', () => {
    expect(knownKeysAt(schema, [])).toEqual(['epochs', 'lr', 'losses', 'augment', 'schedule', 'piped', 'scalar']);
  });

  it('follows records, arrays and wrappers (optional, default, pipe)', () => {
    expect(knownKeysAt(schema, ['losses', 'cls'])).toEqual(['weight', 'temperature']);
    expect(knownKeysAt(schema, ['augment', 3])).toEqual(['p']);
    expect(knownKeysAt(schema, ['schedule'])).toEqual(['warmup', 'decay']);
    expect(knownKeysAt(schema, ['piped'])).toEqual(['inner']);
  });

  it('gives nothing where there is no object schema', () => {
    expect(knownKeysAt(schema, ['scalar'])).toEqual([]);
    expect(knownKeysAt(schema, ['nope'])).toEqual([]);
    expect(knownKeysAt(schema, ['epochs', 'x'])).toEqual([]);
    expect(knownKeysAt(z.array(z.number()), [0])).toEqual([]);
  });
});
