import { readFile } from 'node:fs/promises';
import type { LabelProblem } from '../yolo-labels.js';

/** An image entry of a COCO file. */
export interface CocoImage {
  readonly id: number;
  readonly fileName: string;
  readonly width: number;
  readonly height: number;
}

/** An annotation of a COCO file; `bbox` is `[x, y, w, h]` in pixels of its image. */
export interface CocoAnnotation {
  readonly id: number;
  readonly imageId: number;
  readonly categoryId: number;
  readonly bbox: readonly [number, number, number, number];
  readonly iscrowd: boolean;
}

export interface CocoCategory {
  readonly id: number;
  readonly name: string;
}

/** The parts of a COCO instances file a detector needs; entries that were malformed are left out. */
export interface CocoInstances {
  readonly images: readonly CocoImage[];
  readonly annotations: readonly CocoAnnotation[];
  readonly categories: readonly CocoCategory[];
  /** Ids of image entries that were malformed (their annotations are not reported again). */
  readonly badImageIds: ReadonlySet<number>;
}

/** A file that is not valid JSON; `line`/`column` (1-based) when the parser says where. */
export class JsonFileError extends Error {
  override readonly name = 'JsonFileError';

  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}${column === undefined ? '' : `:${column}`}`}: ${reason}`);
  }

  get problem(): LabelProblem {
    return { file: this.file, ...(this.line === undefined ? {} : { line: this.line }), ...(this.column === undefined ? {} : { column: this.column }), message: this.reason };
  }
}

/** Line and column (1-based) of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Parses JSON text; a syntax error becomes a JsonFileError at the line and column of the parser's
 * position when its message gives one (`at position N`, `(line L column C)`, or the end of the input).
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
    const position = /at position (\d+)/.exec(message);
    const reason = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '').replace(/^Unexpected end of JSON input$/, 'unexpected end of the file');
    if (lineColumn) throw new JsonFileError(file, reason, Number(lineColumn[1]), Number(lineColumn[2]));
    if (position) {
      const at = lineColumnAt(text, Number(position[1]));
      throw new JsonFileError(file, reason, at.line, at.column);
    }
    if (/end of JSON input/.test(message)) {
      const at = lineColumnAt(text, text.length);
      throw new JsonFileError(file, reason, at.line, at.column);
    }
    throw new JsonFileError(file, reason);
  }
}

/** Reads and parses a JSON file; `name` is how errors name it (default: the path). */
export async function readJsonFile(path: string, name: string = path): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${name}: not found`);
    throw error;
  }
  return parseJsonText(text, name);
}

type Entry = Record<string, unknown>;

const isEntry = (value: unknown): value is Entry => value !== null && typeof value === 'object' && !Array.isArray(value);
const isId = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);
const describe = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value));

/**
 * Reads the images, annotations and categories of a parsed COCO instances file. A malformed image
 * or annotation entry becomes a problem (naming the file and the entry) and is left out; a file
 * without those three lists, or with a malformed or duplicate category, cannot be used and throws.
 */
export function parseCocoInstances(value: unknown, file: string): { instances: CocoInstances; problems: LabelProblem[]; dropped: { images: number; annotations: number } } {
  if (!isEntry(value)) throw new Error(`${file}: expected a COCO instances object with images, annotations and categories`);
  for (const key of ['images', 'annotations', 'categories']) {
    if (!Array.isArray(value[key])) throw new Error(`${file}: expected '${key}' to be a list, found ${describe(value[key]).slice(0, 40)}`);
  }
  const problems: LabelProblem[] = [];
  const problem = (message: string): void => {
    problems.push({ file, message });
  };

  const categories: CocoCategory[] = [];
  const categoryIds = new Set<number>();
  for (const [index, raw] of (value['categories'] as unknown[]).entries()) {
    if (!isEntry(raw) || !isId(raw['id']) || typeof raw['name'] !== 'string') {
      throw new Error(`${file}: categories[${index}] must have an integer id and a name, found ${describe(raw).slice(0, 80)}`);
    }
    if (categoryIds.has(raw['id'])) throw new Error(`${file}: category id ${raw['id']} is listed twice`);
    categoryIds.add(raw['id']);
    categories.push({ id: raw['id'], name: raw['name'] });
  }
  if (categories.length === 0) throw new Error(`${file}: no categories`);

  const images: CocoImage[] = [];
  const imageIds = new Set<number>();
  const badImageIds = new Set<number>();
  for (const [index, raw] of (value['images'] as unknown[]).entries()) {
    const entry = isEntry(raw) ? raw : {};
    const name = isId(entry['id']) ? `image ${entry['id']}` : `images[${index}]`;
    const wrong: string[] = [];
    if (!isId(entry['id'])) wrong.push(`id ${describe(entry['id'])} is not an integer`);
    if (typeof entry['file_name'] !== 'string' || entry['file_name'].length === 0) wrong.push(`file_name ${describe(entry['file_name'])} is not a file name`);
    for (const key of ['width', 'height']) if (!isId(entry[key]) || (entry[key] as number) < 1) wrong.push(`${key} ${describe(entry[key])} is not a positive integer`);
    if (isId(entry['id']) && imageIds.has(entry['id'])) wrong.push('the id is listed twice');
    if (wrong.length > 0) {
      problem(`${name}: ${wrong.join(', ')}`);
      if (isId(entry['id']) && !imageIds.has(entry['id'])) badImageIds.add(entry['id']);
      continue;
    }
    imageIds.add(entry['id'] as number);
    images.push({ id: entry['id'] as number, fileName: entry['file_name'] as string, width: entry['width'] as number, height: entry['height'] as number });
  }

  const annotations: CocoAnnotation[] = [];
  for (const [index, raw] of (value['annotations'] as unknown[]).entries()) {
    const entry = isEntry(raw) ? raw : {};
    const name = isId(entry['id']) ? `annotation ${entry['id']}` : `annotations[${index}]`;
    const wrong: string[] = [];
    if (!isId(entry['id'])) wrong.push(`id ${describe(entry['id'])} is not an integer`);
    if (!isId(entry['image_id'])) wrong.push(`image_id ${describe(entry['image_id'])} is not an integer`);
    if (!isId(entry['category_id'])) wrong.push(`category_id ${describe(entry['category_id'])} is not an integer`);
    const bbox = entry['bbox'];
    const box = Array.isArray(bbox) && bbox.length === 4 && bbox.every((n) => typeof n === 'number' && Number.isFinite(n)) ? (bbox as [number, number, number, number]) : undefined;
    if (!box) wrong.push(`bbox ${describe(bbox)} is not [x, y, width, height]`);
    const crowd = entry['iscrowd'] ?? 0;
    if (crowd !== 0 && crowd !== 1 && crowd !== true && crowd !== false) wrong.push(`iscrowd ${describe(crowd)} is not 0 or 1`);
    if (wrong.length > 0 || !box) {
      problem(`${name}: ${wrong.join(', ')}`);
      continue;
    }
    annotations.push({ id: entry['id'] as number, imageId: entry['image_id'] as number, categoryId: entry['category_id'] as number, bbox: box, iscrowd: crowd === 1 || crowd === true });
  }
  const dropped = { images: (value['images'] as unknown[]).length - images.length, annotations: (value['annotations'] as unknown[]).length - annotations.length };
  return { instances: { images, annotations, categories, badImageIds }, problems, dropped };
}
