import type { Rgb } from './colour.js';

/**
 * How the fine variant paints a shape's inside. `outline` is a stroke along the edge with the
 * inside left as it was (background shows through); `striped` is that stroke plus parallel stripes
 * across the inside; `two-tone` splits the shape along a line through its centre into two colours.
 */
export const FILL_STYLES = ['solid', 'outline', 'striped', 'two-tone'] as const;

export type FillStyle = (typeof FILL_STYLES)[number];

/**
 * A planned fill: every number its drawing needs, so that rendering uses no randomness. `stroke` is
 * the edge's width in pixels (measured inward), `period` the distance between stripe centres, `angle`
 * the direction (radians) across the stripes or across the two-tone split.
 */
export type FillSpec =
  | { readonly style: 'solid' }
  | { readonly style: 'outline'; readonly stroke: number }
  | { readonly style: 'striped'; readonly stroke: number; readonly period: number; readonly angle: number }
  | { readonly style: 'two-tone'; readonly second: Rgb; readonly angle: number };
