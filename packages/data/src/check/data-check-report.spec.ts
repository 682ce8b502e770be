import { formatDataCheck, formatProblems, SplitTally, type DataCheckReport } from './data-check-report.js';

describe('SplitTally', () => {
  it('counts images, objects, background, missing labels and classes', () => {
    const tally = new SplitTally(['a', 'b']);
    tally.add([0, 1, 1]);
    tally.add([]);
    tally.add([], true);
    tally.add([1]);
    expect(tally.counts()).toEqual({ images: 4, objects: 4, background: 2, missingLabels: 1, perClass: { a: 1, b: 3 } });
  });
});

describe('formatDataCheck', () => {
  const report: DataCheckReport = {
    root: '/data/x',
    classNames: ['circle', 'ellipse'],
    splits: {
      train: { images: 64, objects: 201, background: 3, missingLabels: 0, perClass: { circle: 120, ellipse: 81 } },
      val: { images: 16, objects: 49, background: 1, missingLabels: 1, perClass: { circle: 20, ellipse: 29 } },
    },
    problems: [],
  };

  it('lays out splits and classes as aligned tables', () => {
    expect(formatDataCheck(report)).toBe(
      [
        'data check: /data/x (2 classes)',
        'split  images  objects  background  no labels',
        'train      64      201           3          0',
        'val        16       49           1          1',
        '',
        'class    train  val',
        'circle     120   20',
        'ellipse     81   29',
        '',
        'no problems',
      ].join('\n'),
    );
  });

  it('lists at most max problems and says how many more there are', () => {
    const problems = [1, 2, 3].map((line) => ({ file: 'labels/train/a.txt', line, message: 'bad' }));
    expect(formatProblems(problems, 2)).toEqual(['3 problems:', '  labels/train/a.txt:1: bad', '  labels/train/a.txt:2: bad', '  ... and 1 more']);
    expect(formatProblems(problems.slice(0, 1))).toEqual(['1 problem:', '  labels/train/a.txt:1: bad']);
  });
});
