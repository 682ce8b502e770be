import type { YoloBox } from '../yolo-labels.js';
import { shapeClassName } from './fine-classes.js';
import type { DrawnShape } from './scene.js';

/**
 * The labels of a drawn scene, in drawing order. A shape keeps its label when at least `minVisible`
 * of its pixels are still on top after later shapes were drawn over it (Ultralytics drops boxes that
 * lose most of their area the same way after crops); its box is the whole shape's, not the visible
 * part's. Shapes with no whole pixel (area 0) and decoys are never labelled. A shape's class is its
 * kind (classic) or `kind-fill` (fine).
 */
export function sceneLabels(shapes: readonly DrawnShape[], width: number, height: number, classes: readonly string[], minVisible: number): YoloBox[] {
  const labels: YoloBox[] = [];
  for (const shape of shapes) {
    if (shape.decoy) continue;
    const name = shapeClassName(shape.kind, shape.fill);
    const cls = classes.indexOf(name);
    if (cls < 0) throw new Error(`a ${name} was drawn but is not one of the classes [${classes.join(', ')}]`);
    if (shape.area === 0 || shape.visible / shape.area < minVisible) continue;
    const { x0, y0, x1, y1 } = shape.box;
    if (x1 <= x0 || y1 <= y0) continue;
    labels.push({ cls, cx: (x0 + x1) / 2 / width, cy: (y0 + y1) / 2 / height, w: (x1 - x0) / width, h: (y1 - y0) / height });
  }
  return labels;
}
