import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '@yolo-distill/core';

/** A plot of the report: its file name (no extension) and its Vega-Lite spec, data inline. */
export interface Plot {
  readonly name: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Compiles a Vega-Lite spec with vega-lite and renders it to SVG with vega's headless view (no browser, no canvas). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Writes `<folder>/<name>.svg` and the spec beside it as `<name>.vl.json`, each to a temporary name first; returns the SVG. */
export async function writePlot(folder: string, plot: Plot): Promise<string> {
  await mkdir(folder, { recursive: true });
  const svg = await renderSvg(plot.spec);
  await writeFileAtomic(join(folder, `${plot.name}.vl.json`), `${JSON.stringify(plot.spec, null, 1)}\n`);
  await writeFileAtomic(join(folder, `${plot.name}.svg`), svg);
  return svg;
}

