import { parseYoloPredictions } from './yolo-predictions.js';

describe('parseYoloPredictions', () => {
  it('reads "cls cx cy w h score" lines and skips blank ones', () => {
    const { predictions, problems } = parseYoloPredictions('0 0.5 0.5 0.2 0.4 0.9\n\n  1 0.1 0.2 0.1 0.1 0.25  \r\n', { file: 'p/a.txt' });
    expect(problems).toEqual([]);
    expect(predictions).toEqual([
      { cls: 0, cx: 0.5, cy: 0.5, w: 0.2, h: 0.4, score: 0.9 },
      { cls: 1, cx: 0.1, cy: 0.2, w: 0.1, h: 0.1, score: 0.25 },
    ]);
  });

  it('names the file and line of every bad line and keeps the good ones', () => {
    const text = ['0 0.5 0.5 0.2 0.4', '0 0.5 0.5 0.2 0.4 x', '2 0.5 0.5 0.2 0.4 0.5', '0.5 0.5 0.5 0.2 0.4 0.5', '0 320 0.5 0.2 0.4 0.5', '0 0.5 0.5 0.2 0.4 1.5', '1 0.5 0.5 0.2 0.4 0.5'].join('\n');
    const { predictions, problems } = parseYoloPredictions(text, { file: 'p/a.txt', numClasses: 2 });
    expect(problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '1: expected 6 numbers "cls cx cy w h score", found 5: the score is missing (Ultralytics writes it with save_conf=True)',
      '2: expected 6 numbers "cls cx cy w h score", found "x"',
      '3: class 2 out of range 0..1 (nc=2)',
      '4: class 0.5 is not a non-negative integer',
      '5: cx 320 outside 0..1 (YOLO predictions are normalised to the image size)',
      '6: score 1.5 outside 0..1',
    ]);
    expect(problems.every((p) => p.file === 'p/a.txt')).toBe(true);
    expect(predictions).toEqual([{ cls: 1, cx: 0.5, cy: 0.5, w: 0.2, h: 0.4, score: 0.5 }]);
  });
});
