export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The run's logger; output goes wherever the composition root points it. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Writes `level message` lines to a writable (stderr by default), dropping levels below `minLevel`. */
export class StreamLogger implements Logger {
  constructor(
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
    private readonly minLevel: LogLevel = 'info',
  ) {}

  private log(level: LogLevel, message: string): void {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[this.minLevel]) return;
    const prefix = level === 'info' ? '' : `${level}: `;
    this.write(`${prefix}${message}\n`);
  }

  debug(message: string): void {
    this.log('debug', message);
  }
  info(message: string): void {
    this.log('info', message);
  }
  warn(message: string): void {
    this.log('warn', message);
  }
  error(message: string): void {
    this.log('error', message);
  }
}
