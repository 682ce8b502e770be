import type { Detection } from '@yolo-distill/core';

/**
 * Ultralytics' `save_txt` with `save_conf`: one line per detection, `cls cx cy w h conf`, box
 * normalised to the image (`%g` formatting: up to 6 significant digits).
 */
export function yoloTxtLines(detections: readonly Detection[], width: number, height: number): string {
  const g = (value: number): string => String(Number(value.toPrecision(6)));
  return detections
    .map((d) => {
      const [x1, y1, x2, y2] = d.box;
      return [d.cls, g((x1 + x2) / 2 / width), g((y1 + y2) / 2 / height), g((x2 - x1) / width), g((y2 - y1) / height), g(d.score)].join(' ');
    })
    .map((text) => `${text}\n`)
    .join('');
}
