import type { DetectionModel } from '../contracts/detection-model.js';
import type { Teacher } from '../contracts/teacher.js';

/** True for objects built by a `model` plugin (they have a native loss), false for dedicated teachers. */
export function isDetectionModel(value: Teacher | DetectionModel): value is DetectionModel {
  return typeof (value as DetectionModel).loss === 'function';
}

/** A model used as teacher: always inference mode; gradients are never taken through it. */
export function teacherFromModel(model: DetectionModel): Teacher {
  return {
    name: model.name,
    headKind: model.headKind,
    numClasses: model.numClasses,
    taps: model.taps,
    mixesFeatures: true,
    ...(model.headDescription === undefined ? {} : { headDescription: model.headDescription }),
    ...(model.weightsSource === undefined ? {} : { weightsSource: model.weightsSource }),
    forward: async (images, taps, options) => model.forward(images, { training: false, taps, ...(options?.mix ? { mix: options.mix } : {}) }),
    decode: (output) => model.decode(output),
    dispose: () => model.dispose(),
  };
}
