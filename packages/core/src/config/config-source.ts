import type { SourcePosition } from './config-error.js';
import type { ConfigPath } from './config-path.js';

/** Finds where a config path came from: the key (`key`) or the value (`value`) of that entry. */
export interface ConfigSource {
  readonly file: string;
  positionOf(path: ConfigPath, part?: 'key' | 'value'): SourcePosition;
}

/** A source for configs built in code (tests, programmatic runs): every path points at the file's start. */
export class InlineConfigSource implements ConfigSource {
  constructor(readonly file: string = '<inline>') {}
  positionOf(): SourcePosition {
    return { file: this.file, line: 1, col: 1 };
  }
}
