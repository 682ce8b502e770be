import { closestMatch } from './closest-match.js';

describe('closestMatch', () => {
  const keys = ['epochs', 'lr', 'losses', 'augment', 'temperature'];

  it('suggests the key one edit away', () => {
    expect(closestMatch('epoch', keys)).toBe('epochs'); // deletion
    expect(closestMatch('epochss', keys)).toBe('epochs'); // insertion
    expect(closestMatch('epocks', keys)).toBe('epochs'); // substitution
    expect(closestMatch('temprature', keys)).toBe('temperature');
  });

  it('ignores case', () => {
    expect(closestMatch('LR', keys)).toBe('lr');
    expect(closestMatch('Epochs', keys)).toBe('epochs');
  });

  it('picks the nearest candidate, the first one on ties', () => {
    expect(closestMatch('lose', ['losses', 'loss'])).toBe('loss');
    expect(closestMatch('cat', ['bat', 'hat'])).toBe('bat');
  });

  it('allows about one edit per three letters', () => {
    // 'augmnet' -> 'augment' is two substitutions; 7 letters allow 2
    expect(closestMatch('augmnet', keys)).toBe('augment');
    // 'lx' -> 'lr' is one edit; short words still allow 1
    expect(closestMatch('lx', keys)).toBe('lr');
    // 'xy' -> 'lr' needs 2 edits, too many for 2 letters
    expect(closestMatch('xy', keys)).toBeUndefined();
    // 'epo' -> 'epochs' needs 3 insertions, but 3 letters allow 1
    expect(closestMatch('epo', keys)).toBeUndefined();
  });

  it('gives nothing for unrelated words or no candidates', () => {
    expect(closestMatch('backend', keys)).toBeUndefined();
    expect(closestMatch('epochs', [])).toBeUndefined();
  });

  it('counts an exact match as distance 0', () => {
    expect(closestMatch('lr', keys)).toBe('lr');
  });
});
