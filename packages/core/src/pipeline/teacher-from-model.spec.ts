import type { Tensor4D } from '../contracts/tensors.js';
import type { Teacher } from '../contracts/teacher.js';
import { FakeModel } from '../test-support/fake-model.js';
import { isDetectionModel, teacherFromModel } from './teacher-from-model.js';

describe('isDetectionModel', () => {
  it('tells models (with a native loss) from dedicated teachers', () => {
    const teacher: Teacher = {
      name: 'onnx',
      headKind: 'anchor-based',
      numClasses: 80,
      taps: [],
      forward: () => Promise.reject(new Error('unused')),
      dispose: () => undefined,
    };
    expect(isDetectionModel(new FakeModel('m'))).toBe(true);
    expect(isDetectionModel(teacher)).toBe(false);
  });
});

describe('teacherFromModel', () => {
  it('copies the identity of the model', () => {
    const model = new FakeModel('v5l');
    const teacher = teacherFromModel(model);
    expect(teacher).toMatchObject({ name: 'v5l', headKind: 'anchor-free', numClasses: 2, taps: ['neck.0', 'neck.1', 'neck.2'] });
  });

  it('forwards in inference mode with the requested taps', async () => {
    const model = new FakeModel('v5l');
    const images = { shape: [1, 64, 64, 3] } as unknown as Tensor4D;
    const output = await teacherFromModel(model).forward(images, ['neck.0', 'neck.2']);
    expect(output).toEqual({ head: [], features: {} });
    expect(model.forwardCalls).toEqual([{ images, options: { training: false, taps: ['neck.0', 'neck.2'] } }]);
  });

  it('disposes the model', () => {
    const model = new FakeModel('v5l');
    teacherFromModel(model).dispose();
    expect(model.disposed).toBe(true);
  });
});
