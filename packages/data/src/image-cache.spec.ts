import { ImageCache } from './image-cache.js';
import { letterboxTransform } from './letterbox.js';

const image = (bytes: number) => ({ pixels: { data: new Uint8Array(bytes).fill(7), width: 1, height: 1 }, transform: letterboxTransform(1, 1, 1) });

describe('ImageCache', () => {
  it('keeps images until the budget is full, then adds no more and evicts nothing', () => {
    const cache = new ImageCache(1); // 1 MB = 1048576 bytes
    expect(cache.enabled).toBe(true);
    expect(cache.add('a', image(600_000))).toBe(true);
    expect(cache.add('b', image(448_576))).toBe(true); // exactly full
    expect(cache.add('c', image(1))).toBe(false);
    expect([cache.size, cache.bytes]).toEqual([2, 1_048_576]);
    expect(cache.get('a')?.pixels.data[0]).toBe(7);
    expect(cache.get('c')).toBeUndefined();
    expect(cache.add('a', image(600_000))).toBe(true);
    expect(cache.bytes).toBe(1_048_576);
  });

  it('is off with a budget of 0 and refuses a negative one', () => {
    const cache = new ImageCache(0);
    expect(cache.enabled).toBe(false);
    expect(cache.add('a', image(1))).toBe(false);
    expect(() => new ImageCache(-1)).toThrow('image cache budget must be a number of MB >= 0, got -1');
  });

  it('copies the pixels it keeps', () => {
    const cache = new ImageCache(1);
    const kept = image(3);
    cache.add('a', kept);
    kept.pixels.data[0] = 1;
    expect(cache.get('a')?.pixels.data[0]).toBe(7);
  });
});
