import { closestNames, editDistance } from './close-names.js';

describe('closestNames', () => {
  it('measures Levenshtein distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('ranks candidates by distance, keeping input order on ties', () => {
    const names = ['/model.17/cv3/act/Mul_output_0', '/model.17/cv2/act/Mul_output_0', '/model.20/cv3/act/Mul_output_0', 'images'];
    expect(closestNames('/model.17/cv3/act/Mul_output', names, 2)).toEqual(['/model.17/cv3/act/Mul_output_0', '/model.17/cv2/act/Mul_output_0']);
    expect(closestNames('x', [], 3)).toEqual([]);
  });
});
