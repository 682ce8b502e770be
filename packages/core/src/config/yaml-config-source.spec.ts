import { LineCounter, parseDocument } from 'yaml';
import { YamlConfigSource, type OverrideOrigin } from './yaml-config-source.js';

function sourceOf(text: string, overrides: readonly OverrideOrigin[] = []): YamlConfigSource {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  return new YamlConfigSource('s.yaml', document, lines, overrides);
}

const TEXT = ['stages:', '  - name: a', '    epochs:', '    lr: 0.1', '  -', '    - nested', 'top: [10, 20, 30]', ''].join('\n');

describe('YamlConfigSource', () => {
  it('gives the value position by default and the key position on request', () => {
    const source = sourceOf(TEXT);
    expect(source.positionOf(['stages', 0, 'lr'])).toEqual({ file: 's.yaml', line: 4, col: 9 });
    expect(source.positionOf(['stages', 0, 'lr'], 'key')).toEqual({ file: 's.yaml', line: 4, col: 5 });
  });

  it('finds items of flow and block sequences, also nested', () => {
    const source = sourceOf(TEXT);
    expect(source.positionOf(['top', 2])).toEqual({ file: 's.yaml', line: 7, col: 15 });
    expect(source.positionOf(['stages', 1, 0])).toEqual({ file: 's.yaml', line: 6, col: 7 });
  });

  it('points an empty value at its key, not at the next line', () => {
    const source = sourceOf(TEXT);
    const position = source.positionOf(['stages', 0, 'epochs']);
    expect(position.line).toBe(3);
  });

  it('answers the root with the document start', () => {
    expect(sourceOf('\n\nseed: 1\n').positionOf([])).toEqual({ file: 's.yaml', line: 3, col: 1 });
  });

  it('matches keys written as numbers by their text', () => {
    expect(sourceOf('classes:\n  0: person\n  1: car\n').positionOf(['classes', '1'])).toEqual({ file: 's.yaml', line: 3, col: 6 });
  });

  it('sends paths under an override to the command line', () => {
    const source = sourceOf(TEXT, [{ path: ['stages', 0], text: 'stages[0]={name: b}' }]);
    expect(source.positionOf(['stages', 0, 'name'])).toEqual({ file: 's.yaml (--set stages[0]={name: b})', line: 1, col: 1 });
    expect(source.positionOf(['stages'])).toEqual({ file: 's.yaml', line: 2, col: 3 });
    expect(source.positionOf(['stages', 1])).toEqual({ file: 's.yaml', line: 6, col: 5 });
  });

  it('describes a path as file:line:col (path)', () => {
    expect(sourceOf(TEXT).describe(['stages', 0, 'lr'])).toBe('s.yaml:4:9 (stages[0].lr)');
  });
});
