import { parseOnnxModel } from '../onnx/onnx-model.js';
import { OnnxModelBuilder } from '../onnx/onnx-writer.js';
import { anchorBasedClasses, countNames } from './head-classes.js';

const model = (metadata: Record<string, string>, output: (number | string)[]) =>
  parseOnnxModel(new OnnxModelBuilder({ opset: 13 }).input('x', [1, 3, 4, 4]).node('Relu', ['x'], ['y']).output('y', output).metadata(metadata).encode(), 'm.onnx');

describe('countNames', () => {
  it('counts the entries of the dict or list Ultralytics writes as names', () => {
    expect(countNames("{0: 'person', 1: 'bicycle', 2: 'a, 3: b'}")).toBe(3);
    expect(countNames("['person', \"it's\", 'a, b']")).toBe(3);
    expect(countNames('')).toBeUndefined();
    expect(countNames('person,car')).toBeUndefined();
  });
});

describe('anchorBasedClasses', () => {
  it('takes classes, else the names metadata, else an output shaped [..., 5 + nc]', () => {
    expect(anchorBasedClasses(model({ names: "{0: 'a', 1: 'b'}" }, [1, 1, 85]), 'model.24', 21, 2)).toEqual({ numClasses: 2, anchorsPerLevel: 3 });
    expect(anchorBasedClasses(model({ names: "{0: 'a', 1: 'b'}" }, [1, 1, 85]), 'model.24', 21)).toEqual({ numClasses: 2, anchorsPerLevel: 3 });
    expect(anchorBasedClasses(model({}, [1, 'n', 7]), 'model.24', 21)).toEqual({ numClasses: 2, anchorsPerLevel: 3 });
    // names that do not divide the channels are not trusted
    expect(anchorBasedClasses(model({ names: "{0: 'a'}" }, [1, 3, 4, 4, 7]), 'model.24', 21)).toEqual({ numClasses: 2, anchorsPerLevel: 3 });
  });
});
