import { describeExpected, describeFound } from './describe-value.js';

describe('describeFound', () => {
  it.each([
    [null, 'null'],
    [undefined, 'nothing'],
    [[1, 2, 3], 'a list of 3'],
    [{ a: 1 }, 'a mapping'],
    ['ten', 'string "ten"'],
    ['say "hi"', 'string "say \\"hi\\""'],
    [-3, 'number -3'],
    [0.5, 'number 0.5'],
    [true, 'boolean true'],
  ] as const)('%j -> %s', (value, text) => {
    expect(describeFound(value)).toBe(text);
  });

  it('shortens long strings to 40 characters', () => {
    expect(describeFound('x'.repeat(50))).toBe(`string "${'x'.repeat(40)}..."`);
    expect(describeFound('y'.repeat(40))).toBe(`string "${'y'.repeat(40)}"`);
  });
});

describe('describeExpected', () => {
  it('names zod types as a user reads them', () => {
    expect(describeExpected('number')).toBe('a number');
    expect(describeExpected('int')).toBe('an integer');
    expect(describeExpected('string')).toBe('a string');
    expect(describeExpected('boolean')).toBe('true or false');
    expect(describeExpected('object')).toBe('a mapping');
    expect(describeExpected('record')).toBe('a mapping');
    expect(describeExpected('array')).toBe('a list');
  });

  it('passes unknown names through', () => {
    expect(describeExpected('bigint')).toBe('bigint');
  });
});
