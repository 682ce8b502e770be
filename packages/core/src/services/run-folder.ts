import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

/**
 * The folder of one run, `runs/<name>/`. Nothing is created until the first write, so a pipeline
 * that fails validation leaves no trace.
 */
export class RunFolder {
  constructor(readonly root: string) {}

  path(...segments: string[]): string {
    return join(this.root, ...segments);
  }

  exists(): boolean {
    return existsSync(this.root);
  }

  async writeJson(relative: string, value: unknown): Promise<void> {
    await writeFileAtomic(this.path(relative), `${JSON.stringify(value, null, 2)}\n`);
  }

  async writeText(relative: string, text: string): Promise<void> {
    await writeFileAtomic(this.path(relative), text);
  }

  /** Appends one line (event logs); synchronous so that lines keep their order. */
  appendLine(relative: string, line: string): void {
    const file = this.path(relative);
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `${line}\n`);
  }
}
