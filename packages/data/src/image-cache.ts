import type { LetterboxTransform, RgbBytes } from './letterbox.js';

/** A letterboxed image as the cache keeps it: 8-bit (a quarter of the floats a Sample carries). */
export interface CachedImage {
  readonly pixels: RgbBytes;
  readonly transform: LetterboxTransform;
}

/**
 * Decoded, letterboxed images kept in memory up to a budget in MB (`0` = off). Images are kept in the
 * order they are first loaded until the budget is full; later ones are not cached and nothing is
 * evicted, because training visits every image once per epoch in a fresh order, so evicting would
 * only trade one miss for another (Ultralytics' `cache: ram` keeps a fixed set for the same reason).
 */
export class ImageCache {
  private readonly entries = new Map<string, CachedImage>();
  private used = 0;
  readonly budgetBytes: number;

  constructor(budgetMb: number) {
    if (!Number.isFinite(budgetMb) || budgetMb < 0) throw new RangeError(`image cache budget must be a number of MB >= 0, got ${budgetMb}`);
    this.budgetBytes = Math.floor(budgetMb * 1024 * 1024);
  }

  get enabled(): boolean {
    return this.budgetBytes > 0;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): CachedImage | undefined {
    return this.entries.get(key);
  }

  /** Keeps the image if it fits the budget; says whether it did. */
  add(key: string, image: CachedImage): boolean {
    if (this.entries.has(key)) return true;
    const cost = image.pixels.data.byteLength;
    if (this.used + cost > this.budgetBytes) return false;
    // a copy, so the cache does not pin a larger buffer the pixels may be a view of
    this.entries.set(key, { pixels: { ...image.pixels, data: image.pixels.data.slice() }, transform: image.transform });
    this.used += cost;
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }
}
