import { toLabelRows, YoloLabelError } from '../yolo-labels.js';
import { memoryDataset } from '../test-support/yolo-fixture.js';
import { checkDatasetSource } from './check-dataset-source.js';

const image = { data: new Float32Array(8 * 8 * 3), width: 8, height: 8 };
const sample = (classes: number[]) => ({
  image,
  labels: toLabelRows(classes.map((cls) => ({ cls, cx: 0.5, cy: 0.5, w: 0.1, h: 0.1 }))),
  source: 'memory',
});

describe('checkDatasetSource', () => {
  it('counts loaded samples and turns failed ones into problems', async () => {
    const source = memoryDataset('/nowhere', ['a', 'b'], {
      train: [sample([0, 1, 1]), sample([]), new YoloLabelError([{ file: 'labels/train/x.txt', line: 3, message: 'expected 5 numbers, found 2' }])],
      val: [sample([0]), new Error('cannot decode image')],
    });
    const report = await checkDatasetSource(source);
    expect(report).toEqual({
      root: '/nowhere',
      classNames: ['a', 'b'],
      splits: {
        train: { images: 2, objects: 3, background: 1, missingLabels: 0, perClass: { a: 1, b: 2 } },
        val: { images: 1, objects: 1, background: 0, missingLabels: 0, perClass: { a: 1, b: 0 } },
      },
      problems: [
        { file: 'labels/train/x.txt', line: 3, message: 'expected 5 numbers, found 2' },
        { file: 'val[1]', message: 'cannot decode image' },
      ],
    });
  });
});
