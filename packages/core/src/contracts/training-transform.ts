import type { StepInfo } from './distill-loss.js';
import type { StoredTensor } from '../services/checkpoint-store.js';
import type { RunFolder } from '../services/run-folder.js';
import type { Tensor4D } from './tensors.js';

/**
 * What every convolution of one forward pass hands to a hook before it runs (fake quantization).
 * `kernel` names the conv by its kernel weight (`model.3.conv.weight`), as `ModelGraph` and the ONNX
 * export name it.
 */
export interface ConvHook {
  /** The conv's input map (NHWC), changed: e.g. fake-quantized to 8 bits. */
  input(kernel: string, x: Tensor4D): Tensor4D;
  /** The conv's kernel `[kh, kw, cin, cout]`, changed. */
  weights(kernel: string, w: Tensor4D): Tensor4D;
}

/**
 * A change to how the student computes while a training stage trains it (`quantize.FakeQuant`:
 * simulated INT8 noise); a stage's `transform:` entry, built through the BuildContext.
 */
export interface TrainingTransform {
  readonly name: string;
  /** The hook of one student forward: `step` set (and `training`) for a training step's pass, undefined for checks. */
  convHook(step: StepInfo | undefined, training: boolean): ConvHook;
  /** After the stage's last step: write what the transform learned into the run folder. */
  finish?(folder: RunFolder, stage: { readonly index: number; readonly name: string }): Promise<void>;
  /** State carried by the stage's checkpoints (observers), so a resumed stage continues it. */
  saveState?(): Record<string, StoredTensor>;
  loadState?(tensors: Readonly<Record<string, StoredTensor>>): void;
}
