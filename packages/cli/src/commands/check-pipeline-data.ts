import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetSource } from '@yolo-distill/core';
import { checkDataset, formatProblems, YoloDataset } from '@yolo-distill/data';
import { EXIT, type CliIO } from '../cli-io.js';

/**
 * What `validate` reads of the pipeline's dataset: what `data check` reads (labels, and every image
 * decoded), so corrupt images and an empty training split stop a run before training. A generated
 * dataset (data.Shapes) that is not on disk yet is left to the run that generates it.
 */
export async function checkPipelineData(data: DatasetSource, io: CliIO): Promise<number> {
  if (!(data instanceof YoloDataset) && !existsSync(join(data.root, 'data.yaml'))) {
    io.stdout(`data: ${data.root} is not generated yet; the run generates it\n`);
    return EXIT.ok;
  }
  const report = await checkDataset(data, 'decode');
  if (report.problems.length === 0) {
    io.stdout(`data: ${report.root}: ${report.splits.train.images} train / ${report.splits.val.images} val images, no problems\n`);
    return EXIT.ok;
  }
  io.stderr(`error: the dataset ${report.root} has ${formatProblems(report.problems).join('\n')}\n(run 'yolo-distill data check ${report.root}' for the whole report)\n`);
  return EXIT.badInput;
}
