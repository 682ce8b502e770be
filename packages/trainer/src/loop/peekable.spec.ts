import { Peekable } from './peekable.js';

/** A generator that records when each item is pulled, and whether its `finally` ran. */
function recorded(count: number) {
  const log: string[] = [];
  async function* items(): AsyncGenerator<number> {
    try {
      for (let i = 0; i < count; i++) {
        log.push(`pull ${i}`);
        yield i;
      }
    } finally {
      log.push('closed');
    }
  }
  return { log, items };
}

describe('Peekable', () => {
  it('gives the items in order; a peeked item is the next one given', async () => {
    const { items } = recorded(4);
    const peekable = new Peekable(items());
    const seen: number[] = [];
    for await (const item of peekable) {
      seen.push(item);
      const next = await peekable.peek();
      expect(next).toBe(item + 1 < 4 ? item + 1 : undefined);
      expect(await peekable.peek()).toBe(next);
    }
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('pulls what a plain for-await with the same break pulls, and closes the source on break', async () => {
    const plain = recorded(6);
    let count = 0;
    for await (const item of plain.items()) {
      if (count >= 3) break;
      count += item >= 0 ? 1 : 0;
    }
    const peeking = recorded(6);
    const peekable = new Peekable(peeking.items());
    count = 0;
    for await (const item of peekable) {
      if (count >= 3) break;
      if (count + 1 < 3) await peekable.peek();
      count += item >= 0 ? 1 : 0;
    }
    expect(peeking.log).toEqual(plain.log);
    expect(plain.log).toEqual(['pull 0', 'pull 1', 'pull 2', 'pull 3', 'closed']);
  });

  it('closes the source when the loop throws', async () => {
    const { log, items } = recorded(5);
    const peekable = new Peekable(items());
    await expect(
      (async () => {
        for await (const item of peekable) {
          await peekable.peek();
          if (item === 1) throw new Error('stop');
        }
      })(),
    ).rejects.toThrow('stop');
    expect(log).toEqual(['pull 0', 'pull 1', 'pull 2', 'closed']);
  });
});
