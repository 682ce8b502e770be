/**
 * An async iterator whose next item can be pulled early. `peek` only moves a pull the consumer would
 * make anyway to an earlier time, so the items pulled (and a loader's RNG draws) stay the same.
 */
export class Peekable<T> implements AsyncIterableIterator<T> {
  private readonly iterator: AsyncIterator<T>;
  private buffered: Promise<IteratorResult<T>> | undefined;

  constructor(items: AsyncIterable<T>) {
    this.iterator = items[Symbol.asyncIterator]();
  }

  next(): Promise<IteratorResult<T>> {
    const result = this.buffered ?? this.iterator.next();
    this.buffered = undefined;
    return result;
  }

  /** The item `next` will give (undefined at the end), pulled now. */
  async peek(): Promise<T | undefined> {
    this.buffered ??= this.iterator.next();
    const result = await this.buffered;
    return result.done ? undefined : result.value;
  }

  async return(): Promise<IteratorResult<T>> {
    this.buffered = undefined;
    return (await this.iterator.return?.()) ?? { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
