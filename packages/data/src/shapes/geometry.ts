/** A point in pixel coordinates: x right, y down; pixel (i, j) covers [i, i+1) x [j, j+1). */
export type Point = readonly [number, number];

/** An axis-aligned box in pixel coordinates, corners (x0, y0) and (x1, y1). */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** A filled area: its bounding box and a point test. */
export interface Region {
  readonly bounds: Box;
  contains(x: number, y: number): boolean;
}

/** Rotates (dx, dy) by `angle` radians (clockwise on screen, since y points down) and adds (cx, cy). */
export function rotateAround(cx: number, cy: number, dx: number, dy: number, angle: number): Point {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return [cx + dx * cos - dy * sin, cy + dx * sin + dy * cos];
}

export function boundsOf(points: readonly Point[]): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return { x0, y0, x1, y1 };
}

/** A simple polygon (convex or not), filled by the even-odd rule. */
export function polygonRegion(points: readonly Point[]): Region {
  if (points.length < 3) throw new RangeError(`a polygon needs at least 3 points, got ${points.length}`);
  const xs = Float64Array.from(points, (point) => point[0]);
  const ys = Float64Array.from(points, (point) => point[1]);
  const n = points.length;
  return {
    bounds: boundsOf(points),
    contains(x: number, y: number): boolean {
      let inside = false;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const yi = ys[i] as number;
        const yj = ys[j] as number;
        if (yi > y !== yj > y) {
          const xi = xs[i] as number;
          const xj = xs[j] as number;
          if (x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
        }
      }
      return inside;
    },
  };
}

/** An ellipse with semi-axes rx (along `rotation`) and ry, centred at (cx, cy). */
export function ellipseRegion(cx: number, cy: number, rx: number, ry: number, rotation: number): Region {
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  const halfWidth = Math.sqrt(rx * rx * cos * cos + ry * ry * sin * sin);
  const halfHeight = Math.sqrt(rx * rx * sin * sin + ry * ry * cos * cos);
  return {
    bounds: { x0: cx - halfWidth, y0: cy - halfHeight, x1: cx + halfWidth, y1: cy + halfHeight },
    contains(x: number, y: number): boolean {
      const dx = x - cx;
      const dy = y - cy;
      const u = (dx * cos + dy * sin) / rx;
      const v = (-dx * sin + dy * cos) / ry;
      return u * u + v * v <= 1;
    },
  };
}

/** Corners of a `width` x `height` rectangle centred at (cx, cy), turned by `rotation`. */
export function rectanglePoints(cx: number, cy: number, width: number, height: number, rotation: number): Point[] {
  const w = width / 2;
  const h = height / 2;
  return [
    rotateAround(cx, cy, -w, -h, rotation),
    rotateAround(cx, cy, w, -h, rotation),
    rotateAround(cx, cy, w, h, rotation),
    rotateAround(cx, cy, -w, h, rotation),
  ];
}

/** Corners of a regular polygon with circumradius `radius`; at rotation 0 the first corner points up. */
export function regularPolygonPoints(cx: number, cy: number, radius: number, sides: number, rotation: number): Point[] {
  return Array.from({ length: sides }, (_, k) => rotateAround(cx, cy, 0, -radius, rotation + (2 * Math.PI * k) / sides));
}

/** Corners of a star with `tips` points, tips at radius `outer` and the notches between them at `inner`; first tip up at rotation 0. */
export function starPoints(cx: number, cy: number, outer: number, inner: number, tips: number, rotation: number): Point[] {
  return Array.from({ length: 2 * tips }, (_, k) => rotateAround(cx, cy, 0, -(k % 2 === 0 ? outer : inner), rotation + (Math.PI * k) / tips));
}

/** Corners of a plus sign: two bars `span` long and `arm` thick crossing at (cx, cy), turned by `rotation`. */
export function crossPoints(cx: number, cy: number, span: number, arm: number, rotation: number): Point[] {
  const s = span / 2;
  const a = arm / 2;
  const corners: readonly Point[] = [
    [-a, -s],
    [a, -s],
    [a, -a],
    [s, -a],
    [s, a],
    [a, a],
    [a, s],
    [-a, s],
    [-a, a],
    [-s, a],
    [-s, -a],
    [-a, -a],
  ];
  return corners.map(([dx, dy]) => rotateAround(cx, cy, dx, dy, rotation));
}

/** Twice the signed area of a polygon (shoelace); positive when the inside lies left of every edge. */
function doubledArea(points: readonly Point[]): number {
  let sum = 0;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xj, yj] = points[j] as Point;
    const [xi, yi] = points[i] as Point;
    sum += xj * yi - xi * yj;
  }
  return sum;
}

/**
 * The polygon with every edge moved `distance` inward (mitre joins): each corner goes to where its
 * two moved edges meet. Exact for convex and concave corners alike while `distance` is below the
 * polygon's inner radius; beyond that the result folds over itself.
 */
export function insetPolygon(points: readonly Point[], distance: number): Point[] {
  const n = points.length;
  const side = doubledArea(points) > 0 ? 1 : -1;
  const inward = (from: Point, to: Point): Point => {
    const length = Math.hypot(to[0] - from[0], to[1] - from[1]);
    return [(-side * (to[1] - from[1])) / length, (side * (to[0] - from[0])) / length];
  };
  return points.map((point, i) => {
    const before = inward(points[(i + n - 1) % n] as Point, point);
    const after = inward(point, points[(i + 1) % n] as Point);
    // the point at `distance` from both edges' lines, along the bisector of their normals
    const scale = distance / (1 + before[0] * after[0] + before[1] * after[1]);
    return [point[0] + (before[0] + after[0]) * scale, point[1] + (before[1] + after[1]) * scale];
  });
}
