import { readFile } from 'node:fs/promises';
import type { TensorRange } from '../quant/quant-params.js';

/** Where `quantize.FakeQuant` leaves the conv-input ranges it learned, relative to the run folder. */
export const LEARNED_RANGES_FILE = 'quantize/fake-quant-ranges.json';
export const LEARNED_RANGES_FORMAT = 'yolo-distill.FakeQuantRanges/1';

/** The file's content: each conv's input range by the conv's kernel name (`model.3.conv.weight`), as the ONNX export names the initializer. */
export interface LearnedRanges {
  readonly format: typeof LEARNED_RANGES_FORMAT;
  /** The stage that trained with fake quantization, and whether the observers had frozen. */
  readonly stage: string;
  readonly frozen: boolean;
  readonly ranges: Readonly<Record<string, TensorRange>>;
}

export async function readLearnedRanges(file: string): Promise<LearnedRanges> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${file}: no learned ranges (a trainer.Distill stage with 'transform: { type: quantize.FakeQuant }' writes them; run it before this stage)`);
    }
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<LearnedRanges>;
  if (parsed.format !== LEARNED_RANGES_FORMAT || typeof parsed.ranges !== 'object' || parsed.ranges === null) {
    throw new Error(`${file}: not a ${LEARNED_RANGES_FORMAT} file`);
  }
  return parsed as LearnedRanges;
}
