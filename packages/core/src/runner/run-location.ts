import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Run folders of one name: `runs/<name>`, `runs/<name>-2`, ... (as Ultralytics increments `exp`). */
function numberOf(folder: string, name: string): number | undefined {
  if (folder === name) return 1;
  const match = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`).exec(folder);
  return match ? Number(match[1]) : undefined;
}

/** The folder of a new run: the first of `<name>`, `<name>-2`, ... that does not exist yet. */
export function newRunFolder(runsDir: string, name: string): string {
  if (!existsSync(join(runsDir, name))) return join(runsDir, name);
  for (let i = 2; ; i++) {
    const candidate = join(runsDir, `${name}-${i}`);
    if (!existsSync(candidate)) return candidate;
  }
}

/** The newest run of `name` that has a `run.json` (the one `--resume` continues), if any. */
export function latestRunFolder(runsDir: string, name: string): string | undefined {
  if (!existsSync(runsDir)) return undefined;
  const numbered = readdirSync(runsDir)
    .map((folder) => ({ folder, number: numberOf(folder, name) }))
    .filter((entry): entry is { folder: string; number: number } => entry.number !== undefined)
    .filter((entry) => existsSync(join(runsDir, entry.folder, 'run.json')))
    .sort((a, b) => b.number - a.number);
  return numbered[0] ? join(runsDir, numbered[0].folder) : undefined;
}
