import { fineClassParts, FINE_CLASSES, isFineClass, shapeClassName } from './fine-classes.js';
import { FILL_STYLES } from './fill-styles.js';
import { SHAPE_FORMS, SHAPE_KINDS } from './shape-kinds.js';

describe('the fine classes', () => {
  it('are sixteen distinct kind-fill names, every fill style used, no classic name among them', () => {
    expect(FINE_CLASSES).toHaveLength(16);
    expect(new Set(FINE_CLASSES).size).toBe(16);
    const parts = FINE_CLASSES.map((name) => fineClassParts(name));
    expect(FINE_CLASSES).toEqual(parts.map(({ kind, fill }) => `${kind}-${fill}`));
    expect(new Set(parts.map((part) => part.fill))).toEqual(new Set(FILL_STYLES));
    for (const { kind } of parts) expect(SHAPE_FORMS).toContain(kind);
    for (const kind of SHAPE_KINDS) expect(isFineClass(kind)).toBe(false);
  });

  it('come in confusable groups: each kind with several fills, each fill on several kinds', () => {
    const parts = FINE_CLASSES.map((name) => fineClassParts(name));
    for (const kind of ['circle', 'hexagon', 'pentagon', 'square', 'triangle']) expect(parts.filter((part) => part.kind === kind).length).toBeGreaterThanOrEqual(2);
    for (const fill of FILL_STYLES) expect(parts.filter((part) => part.fill === fill).length).toBeGreaterThanOrEqual(2);
  });

  it('splits names at the kind, so two-tone keeps its hyphen', () => {
    expect(fineClassParts('circle-two-tone')).toEqual({ kind: 'circle', fill: 'two-tone' });
    expect(() => fineClassParts('star-outline')).toThrow("'star-outline' is not a class of the fine shapes variant");
  });

  it('names a drawn shape by its kind alone when it has no fill (classic)', () => {
    expect(shapeClassName('hexagon')).toBe('hexagon');
    expect(shapeClassName('hexagon', 'striped')).toBe('hexagon-striped');
  });
});
