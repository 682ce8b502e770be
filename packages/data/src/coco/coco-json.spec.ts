import { JsonFileError, lineColumnAt, parseCocoInstances, parseJsonText } from './coco-json.js';

const errorOf = (run: () => unknown): JsonFileError => {
  try {
    run();
  } catch (error) {
    if (error instanceof JsonFileError) return error;
    throw error;
  }
  throw new Error('expected a JsonFileError');
};

describe('parseJsonText', () => {
  it('names the line and column where the JSON breaks', () => {
    // the missing comma is noticed at "b" on line 3, column 3
    const error = errorOf(() => parseJsonText('{\n  "a": 1\n  "b": 2\n}', 'ann/train.json'));
    expect([error.line, error.column]).toEqual([3, 3]);
    expect(error.message).toBe("ann/train.json:3:3: Expected ',' or '}' after property value");
    expect(error.problem).toEqual({ file: 'ann/train.json', line: 3, column: 3, message: "Expected ',' or '}' after property value" });
  });

  it('puts an unexpected end at the end of the text', () => {
    expect(errorOf(() => parseJsonText('{"images": [\n', 'x.json')).message).toBe('x.json:2:1: unexpected end of the file');
  });

  it('reads a position given as (line L column C) by newer engines, and names only the file when none is given', () => {
    const fake = (message: string) => () => {
      const parse = JSON.parse;
      JSON.parse = () => {
        throw new SyntaxError(message);
      };
      try {
        return parseJsonText('x', 'f.json');
      } finally {
        JSON.parse = parse;
      }
    };
    expect(errorOf(fake("Unexpected token 'x', \"x\" is not valid JSON (line 4 column 7)")).message).toBe("f.json:4:7: Unexpected token 'x', \"x\" is not valid JSON");
    const plain = errorOf(fake("Unexpected token 'x', \"x\" is not valid JSON"));
    expect([plain.line, plain.message]).toEqual([undefined, "f.json: Unexpected token 'x', \"x\" is not valid JSON"]);
  });

  it('counts lines and columns from 1', () => {
    expect(lineColumnAt('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('parseCocoInstances', () => {
  const good = {
    images: [{ id: 1, file_name: 'a.jpg', width: 640, height: 480 }],
    annotations: [{ id: 10, image_id: 1, category_id: 3, bbox: [1, 2, 3, 4], iscrowd: 1, area: 12 }],
    categories: [{ id: 3, name: 'cat', supercategory: 'animal' }],
  };

  it('reads images, annotations (iscrowd as a flag) and categories', () => {
    const { instances, problems, dropped } = parseCocoInstances(good, 'a.json');
    expect(problems).toEqual([]);
    expect(dropped).toEqual({ images: 0, annotations: 0 });
    expect(instances.images).toEqual([{ id: 1, fileName: 'a.jpg', width: 640, height: 480 }]);
    expect(instances.annotations).toEqual([{ id: 10, imageId: 1, categoryId: 3, bbox: [1, 2, 3, 4], iscrowd: true }]);
    expect(instances.categories).toEqual([{ id: 3, name: 'cat' }]);
  });

  it('turns malformed entries into problems naming the entry, and leaves them out', () => {
    const { instances, problems, dropped } = parseCocoInstances(
      {
        images: [...good.images, { id: 2, file_name: '', width: 0, height: 5 }, { file_name: 'c.jpg', width: 1, height: 1 }, { id: 1, file_name: 'd.jpg', width: 1, height: 1 }],
        annotations: [...good.annotations, { id: 11, image_id: 1, category_id: 3, bbox: [1, 2, 3] }, { image_id: 1, category_id: 3, bbox: [0, 0, 1, 1], iscrowd: 2 }],
        categories: good.categories,
      },
      'a.json',
    );
    expect(problems.map((problem) => `${problem.file}: ${problem.message}`)).toEqual([
      'a.json: image 2: file_name "" is not a file name, width 0 is not a positive integer',
      'a.json: images[2]: id nothing is not an integer',
      'a.json: image 1: the id is listed twice',
      'a.json: annotation 11: bbox [1,2,3] is not [x, y, width, height]',
      'a.json: annotations[2]: id nothing is not an integer, iscrowd 2 is not 0 or 1',
    ]);
    expect(instances.images).toHaveLength(1);
    expect(instances.annotations).toHaveLength(1);
    expect([...instances.badImageIds]).toEqual([2]);
    expect(dropped).toEqual({ images: 3, annotations: 2 });
  });

  it('refuses a file that is not a COCO instances file, or whose categories cannot be used', () => {
    expect(() => parseCocoInstances([], 'a.json')).toThrow('a.json: expected a COCO instances object');
    expect(() => parseCocoInstances({ images: [], categories: [] }, 'a.json')).toThrow("a.json: expected 'annotations' to be a list, found nothing");
    expect(() => parseCocoInstances({ ...good, categories: [{ id: 'x', name: 'cat' }] }, 'a.json')).toThrow('a.json: categories[0] must have an integer id and a name');
    expect(() => parseCocoInstances({ ...good, categories: [...good.categories, { id: 3, name: 'dog' }] }, 'a.json')).toThrow('a.json: category id 3 is listed twice');
    expect(() => parseCocoInstances({ ...good, categories: [] }, 'a.json')).toThrow('a.json: no categories');
  });
});
