import { StreamLogger } from './logger.js';

describe('StreamLogger', () => {
  it('writes info plainly and prefixes the other levels', () => {
    const lines: string[] = [];
    const logger = new StreamLogger((line) => lines.push(line), 'debug');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines).toEqual(['debug: d\n', 'i\n', 'warn: w\n', 'error: e\n']);
  });

  it('drops levels below the minimum (info by default)', () => {
    const lines: string[] = [];
    const logger = new StreamLogger((line) => lines.push(line));
    logger.debug('hidden');
    logger.info('shown');
    const quiet = new StreamLogger((line) => lines.push(line), 'error');
    quiet.warn('hidden');
    quiet.error('loud');
    expect(lines).toEqual(['shown\n', 'error: loud\n']);
  });
});
