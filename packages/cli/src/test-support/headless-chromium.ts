import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Chromium binary on PATH (Debian's `chromium` package), or undefined when there is none. */
export function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser']) {
    const probe = spawnSync(name, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    if (probe.status === 0 && /chromium/i.test(probe.stdout)) return name;
  }
  return undefined;
}

export interface PageSize {
  readonly width: number;
  readonly height: number;
}

/** Runs headless Chromium once on `url` with `flags`, in a fresh profile; returns its stdout. Fails with its stderr. */
function runChromium(chromium: string, url: string, flags: readonly string[]): string {
  const profile = mkdtempSync(join(tmpdir(), 'yd-chromium-'));
  try {
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run', `--user-data-dir=${profile}`, ...flags, url];
    const result = spawnSync(chromium, args, { encoding: 'utf8', timeout: 90_000, maxBuffer: 256 * 2 ** 20 });
    if (result.status !== 0) throw new Error(`${chromium} ${args.join(' ')} exited with ${result.status ?? result.signal}: ${result.stderr}`);
    return result.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** A PNG screenshot of the page at `url` in a window of `size`. */
export function screenshot(chromium: string, url: string, png: string, size: PageSize): void {
  runChromium(chromium, url, [`--screenshot=${png}`, `--window-size=${size.width},${size.height}`]);
  if (!existsSync(png)) throw new Error(`${chromium} wrote no screenshot ${png}`);
}

/** The page's DOM after loading, serialised by Chromium (`--dump-dom`). */
export function dumpDom(chromium: string, url: string): string {
  return runChromium(chromium, url, ['--dump-dom']);
}
