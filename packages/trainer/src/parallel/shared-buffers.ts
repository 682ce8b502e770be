/**
 * The memory the ranks of one data-parallel stage share: one gradient slot per replica (rank r >= 1
 * writes slot r - 1), the weights the main thread broadcasts, and one counter per slot whose atomic
 * update publishes what was written before it (the message that follows says so; the counter gives
 * the ordering guarantee).
 */
export interface ReplicaBuffers {
  readonly gradients: SharedArrayBuffer;
  readonly weights: SharedArrayBuffer;
  readonly counters: SharedArrayBuffer;
  readonly gradientLength: number;
  readonly weightLength: number;
  readonly replicas: number;
}

export function createReplicaBuffers(gradientLength: number, weightLength: number, replicas: number): ReplicaBuffers {
  const bytes = Float32Array.BYTES_PER_ELEMENT;
  return {
    gradients: new SharedArrayBuffer(gradientLength * replicas * bytes),
    weights: new SharedArrayBuffer(weightLength * bytes),
    counters: new SharedArrayBuffer((replicas + 1) * Int32Array.BYTES_PER_ELEMENT),
    gradientLength,
    weightLength,
    replicas,
  };
}

/** Typed views of `ReplicaBuffers`, made on each side of the thread boundary. */
export class ReplicaViews {
  readonly weights: Float32Array;
  private readonly gradients: Float32Array;
  private readonly counters: Int32Array;

  constructor(private readonly buffers: ReplicaBuffers) {
    this.weights = new Float32Array(buffers.weights);
    this.gradients = new Float32Array(buffers.gradients);
    this.counters = new Int32Array(buffers.counters);
  }

  /** Rank `rank`'s gradient slot (rank >= 1). */
  gradientSlot(rank: number): Float32Array {
    if (!Number.isInteger(rank) || rank < 1 || rank > this.buffers.replicas) throw new Error(`no gradient slot for rank ${rank} (ranks 1..${this.buffers.replicas})`);
    const n = this.buffers.gradientLength;
    return this.gradients.subarray((rank - 1) * n, rank * n);
  }

  /** After writing rank's slot (or the weights, rank 0): a release of everything written before. */
  publish(rank: number): void {
    Atomics.add(this.counters, rank, 1);
  }

  /** Before reading rank's slot (or the weights, rank 0): the acquire that pairs with `publish`. */
  observe(rank: number): number {
    return Atomics.load(this.counters, rank);
  }
}
