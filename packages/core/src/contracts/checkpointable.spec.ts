import { FakeModel } from '../test-support/fake-model.js';
import { isCheckpointable } from './checkpointable.js';

describe('isCheckpointable', () => {
  it('accepts objects with saveState and loadState functions', () => {
    expect(isCheckpointable(new FakeModel('m'))).toBe(true);
    expect(isCheckpointable({ saveState: async () => ({ meta: {}, tensors: {} }), loadState: async () => undefined })).toBe(true);
  });

  it('rejects everything else', () => {
    for (const value of [undefined, null, 3, 'model', {}, { saveState: () => undefined }, { saveState: 1, loadState: () => undefined }]) {
      expect(isCheckpointable(value)).toBe(false);
    }
  });
});
