import { selectBackend } from '@yolo-distill/backend';
import { buildModule } from './build-module.test.js';
import { convModule } from './conv.js';

describe('Conv args', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('takes the kernel as an int or a square pair (yolov3.yaml: Conv, [512, [1, 1]])', () => {
    const int = buildModule(convModule, [16, 1, 1], [8]);
    const pair = buildModule(convModule, [16, [1, 1]], [8]);
    expect(pair.shapes).toEqual(int.shapes);
    expect(pair.shapes['model.4.conv.weight']).toEqual([16, 8, 1, 1]);
    int.params.dispose();
    pair.params.dispose();
  });

  it('refuses a non-square kernel pair, naming the argument', () => {
    expect(() => buildModule(convModule, [16, [1, 3]], [8])).toThrow('Conv: argument 1 (k) must be an integer or a square pair like [1, 1], found [1,3]');
  });
});
