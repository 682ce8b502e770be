import { parseCocoResults } from './coco-results.js';
import { formatPredictionProblem, PredictionFileError } from './prediction-problem.js';

describe('parseCocoResults', () => {
  it('reads COCO detection results, class = category_id - base', () => {
    const text = JSON.stringify([
      { image_id: 139, category_id: 1, bbox: [10, 20, 30, 40], score: 0.9 },
      { image_id: 'img_2', category_id: 2, bbox: [0, 0, 5, 5], score: 0.1 },
    ]);
    expect(parseCocoResults(text, { file: 'r.json', numClasses: 2, categoryBase: 1 })).toEqual({
      results: [
        { imageId: 139, cls: 0, box: [10, 20, 30, 40], score: 0.9 },
        { imageId: 'img_2', cls: 1, box: [0, 0, 5, 5], score: 0.1 },
      ],
      problems: [],
    });
  });

  it('names the entry of every bad result', () => {
    const text = JSON.stringify([
      { image_id: 1, category_id: 2, bbox: [0, 0, 1, 1], score: 0.5 },
      { image_id: null, category_id: 0, bbox: [0, 0, 1], score: 2 },
      7,
      { image_id: 1, category_id: 0, bbox: [0, 0, -1, 1], score: 0.5 },
    ]);
    const { results, problems } = parseCocoResults(text, { file: 'r.json', numClasses: 2 });
    expect(results).toEqual([]);
    expect(problems.map(formatPredictionProblem)).toEqual([
      'r.json: entry 0: category_id 2 out of range 0..1 (class = category_id - 0; try --category-base 1 if ids start at 1)',
      'r.json: entry 1: image_id must be a number or a string, found null',
      'r.json: entry 1: bbox must be 4 numbers [x, y, width, height], found [0,0,1]',
      'r.json: entry 1: score must be a number in 0..1, found 2',
      'r.json: entry 2: expected an object {image_id, category_id, bbox, score}, found 7',
      'r.json: entry 3: bbox width and height must be >= 0, found [0,0,-1,1]',
    ]);
  });

  it('rejects text that is not a JSON list', () => {
    expect(parseCocoResults('{"a": 1}', { file: 'r.json' }).problems.map(formatPredictionProblem)).toEqual([
      'r.json: expected a JSON list of {image_id, category_id, bbox, score} (COCO detection results)',
    ]);
    expect(parseCocoResults('[1,', { file: 'r.json' }).problems[0]?.message).toMatch(/^not valid JSON: /);
  });
});

describe('PredictionFileError', () => {
  it('lists the first problems and counts the rest', () => {
    const problems = Array.from({ length: 4 }, (_, i) => ({ file: 'a.txt', line: i + 1, message: 'bad' }));
    expect(new PredictionFileError(problems, 2).message).toBe('a.txt:1: bad\na.txt:2: bad\n... and 2 more');
  });
});
