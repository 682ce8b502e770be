import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli.js';
import type { CliIO } from '../cli-io.js';

/** The two head kinds the export, predict and eval specs cover. */
export const STUDENTS = { v5: 'yolov5.Model', v8: 'yolov8.Model' } as const;
export type StudentKind = keyof typeof STUDENTS;

/**
 * Trains a YOLOv5n or YOLOv8n student `steps` steps (default 2) on 64 px synthetic shapes (8 train,
 * 4 val images) through `yolo-distill run`, into `<dir>/runs/<kind>`; returns that run folder. Longer
 * runs skip validation and keep their last weights (the best of a few epochs is the first one's).
 */
export async function trainStudent(dir: string, kind: StudentKind, io: CliIO, steps = 2): Promise<string> {
  const file = join(dir, `${kind}.yaml`);
  writeFileSync(
    file,
    `name: ${kind}
seed: 1
backend: wasm
runs: ${join(dir, 'runs')}
data: { type: data.Shapes, root: ${join(dir, 'shapes')}, imgsz: 64, train: 8, val: 4, seed: 3 }
student: { type: ${STUDENTS[kind]}, scale: n, seed: 1 }
stages:
  - name: train
    type: trainer.Train
    epochs: ${Math.ceil(steps / 2)}
    batch: 4
    stepsPerEpoch: ${Math.min(steps, 2)}
    optimizer: { type: adam, lr: 0.002 }
    schedule: { warmupEpochs: 0 }${steps > 2 ? '\n    validate: { every: 0 }\n    keepBest: false' : ''}
`,
  );
  const code = await runCli(['run', file], { io });
  if (code !== 0) throw new Error(`training the ${kind} student failed with exit code ${code}`);
  return join(dir, 'runs', kind);
}
