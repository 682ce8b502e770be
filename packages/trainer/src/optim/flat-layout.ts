/** Where one tensor lives in a flat buffer. */
export interface FlatSegment {
  readonly offset: number;
  readonly size: number;
  readonly shape: readonly number[];
}

/** Tensors laid end to end in one Float32Array, in list order: segment `i` is tensor `i`. */
export class FlatLayout {
  readonly segments: readonly FlatSegment[];
  readonly length: number;

  constructor(shapes: readonly (readonly number[])[]) {
    let offset = 0;
    this.segments = shapes.map((shape) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const segment = { offset, size, shape: [...shape] };
      offset += size;
      return segment;
    });
    this.length = offset;
  }

  /** Segment `i` of a buffer laid out this way (a view, not a copy). */
  view(buffer: Float32Array, i: number): Float32Array {
    const s = this.segment(i);
    return buffer.subarray(s.offset, s.offset + s.size);
  }

  segment(i: number): FlatSegment {
    const s = this.segments[i];
    if (!s) throw new Error(`FlatLayout: no segment ${i} (the layout holds ${this.segments.length})`);
    return s;
  }
}
