import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Run folders of one name: `runs/<name>`, `runs/<name>-2`, ... (as Ultralytics increments `exp`). */
function numberOf(folder: string, name: string): number | undefined {
  if (folder === name) return 1;
  const match = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`).exec(folder);
  return match ? Number(match[1]) : undefined;
}

function candidate(runsDir: string, name: string, number: number): string {
  return join(runsDir, number === 1 ? name : `${name}-${number}`);
}

/** The folder a new run would get: the first of `<name>`, `<name>-2`, ... that does not exist yet. Creates nothing. */
export function newRunFolder(runsDir: string, name: string): string {
  for (let i = 1; ; i++) {
    const folder = candidate(runsDir, name, i);
    if (!existsSync(folder)) return folder;
  }
}

/**
 * Creates the folder of a new run exclusively: the first of `<name>`, `<name>-2`, ... that this call
 * itself made, so two runs started at once with one name never share a folder.
 */
export function claimNewRunFolder(runsDir: string, name: string): string {
  try {
    mkdirSync(runsDir, { recursive: true });
  } catch (error) {
    throw new Error(`cannot create the runs folder ${runsDir}: ${describeOsError(error)}`);
  }
  for (let i = 1; ; i++) {
    const folder = candidate(runsDir, name, i);
    try {
      mkdirSync(folder);
      return folder;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new Error(`cannot create the run folder ${folder}: ${describeOsError(error)}`);
    }
  }
}

/** An OS error as a reason a person can act on. */
export function describeOsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EEXIST: 'it exists already',
  };
  const reason = code ? reasons[code] : undefined;
  return reason ? `${reason} (${code})` : (error as Error).message;
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
