import { SeededRng } from './rng.js';

describe('SeededRng', () => {
  it('produces the xoshiro128** reference output for state [1, 2, 3, 4]', () => {
    const rng = new SeededRng(0, [1, 2, 3, 4]);
    // result = rotl(s1 * 5, 7) * 9 = rotl(10, 7) * 9 = 1280 * 9
    expect(rng.nextUint32()).toBe(11520);
  });
});
