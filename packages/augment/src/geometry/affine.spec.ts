import { applyAffine, compose, IDENTITY, invert, translation, type Affine } from './affine.js';

describe('affine maps', () => {
  const scaleBy2: Affine = [2, 0, 0, 0, 2, 0];

  it('compose applies the last map first, as a matrix product', () => {
    // translate by (1, 0), then scale by 2: (3, 4) -> (4, 4) -> (8, 8)
    expect(applyAffine(compose(scaleBy2, translation(1, 0)), 3, 4)).toEqual([8, 8]);
    // scale, then translate: (3, 4) -> (6, 8) -> (7, 8)
    expect(applyAffine(compose(translation(1, 0), scaleBy2), 3, 4)).toEqual([7, 8]);
    expect(compose()).toEqual(IDENTITY);
  });

  it('inverts a map', () => {
    const m: Affine = [0.5, 0.2, 3, -0.1, 1.5, -2];
    const [x, y] = applyAffine(m, 7, -4);
    const [bx, by] = applyAffine(invert(m), x, y);
    expect(bx).toBeCloseTo(7, 12);
    expect(by).toBeCloseTo(-4, 12);
  });

  it('refuses a map without an inverse', () => {
    expect(() => invert([1, 2, 0, 2, 4, 0])).toThrow(/not invertible/);
  });
});
