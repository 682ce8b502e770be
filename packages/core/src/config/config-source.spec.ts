import { InlineConfigSource } from './config-source.js';

describe('InlineConfigSource', () => {
  it('points every path at line 1, column 1 of its name', () => {
    expect(new InlineConfigSource().positionOf()).toEqual({ file: '<inline>', line: 1, col: 1 });
    const source = new InlineConfigSource('programmatic');
    expect(source.file).toBe('programmatic');
    expect(source.positionOf()).toEqual({ file: 'programmatic', line: 1, col: 1 });
  });
});
