import type { Paint } from './canvas.js';
import { shapeInsetRegion, shapeRegion, type ShapeSpec } from './shape-region.js';

/**
 * How a shape is painted, from its fill (solid when it has none). Stripes are measured from the
 * centre along `angle`, a stripe centred on the centre; the two-tone split runs through the centre,
 * the `second` colour on the side `angle` points to.
 */
export function shapePaint(shape: ShapeSpec): Paint {
  const outer = shapeRegion(shape);
  const bounds = outer.bounds;
  const { colour, cx, cy } = shape;
  const fill = shape.fill ?? { style: 'solid' };
  switch (fill.style) {
    case 'solid':
      return { bounds, inkAt: (x, y) => (outer.contains(x, y) ? colour : undefined) };
    case 'outline': {
      const inner = shapeInsetRegion(shape, fill.stroke);
      return { bounds, inkAt: (x, y) => (outer.contains(x, y) && !inner.contains(x, y) ? colour : undefined) };
    }
    case 'striped': {
      const inner = shapeInsetRegion(shape, fill.stroke);
      const cos = Math.cos(fill.angle) / fill.period;
      const sin = Math.sin(fill.angle) / fill.period;
      return {
        bounds,
        inkAt(x, y) {
          if (!outer.contains(x, y)) return undefined;
          if (!inner.contains(x, y)) return colour;
          const u = (x - cx) * cos + (y - cy) * sin + 0.25;
          return u - Math.floor(u) < 0.5 ? colour : undefined;
        },
      };
    }
    case 'two-tone': {
      const cos = Math.cos(fill.angle);
      const sin = Math.sin(fill.angle);
      const second = fill.second;
      return { bounds, inkAt: (x, y) => (outer.contains(x, y) ? ((x - cx) * cos + (y - cy) * sin < 0 ? colour : second) : undefined) };
    }
  }
}
