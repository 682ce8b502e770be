import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the generator edits outside its new package: copied, so that the workspace itself stays untouched. */
const CLI_FILES = ['package.json', 'tsconfig.json', 'tsconfig.lib.json', 'tsconfig.spec.json', 'src/builtin-plugins.ts'];
const ROOT_FILES = ['package.json', 'nx.json', 'tsconfig.base.json', 'tsconfig.json', 'vitest.shared.ts'];
const TOOLS_FILES = ['package.json', 'generators.json', 'tsconfig.json', 'test-setup.ts', 'vite.config.ts', 'src'];

/**
 * A lean copy of the workspace at `root` in a temporary folder, enough to run a generator and the new
 * package's tests: the root configs, tools (the generator), the CLI's files the generator edits; every
 * other package and node_modules are symlinks to the originals (read, never written). Returns its path.
 */
export function copyWorkspace(root: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'yolo-distill-workspace-'));
  for (const file of ROOT_FILES) cpSync(join(root, file), join(copy, file));
  for (const file of TOOLS_FILES) cpSync(join(root, 'tools', file), join(copy, 'tools', file), { recursive: true });
  for (const file of CLI_FILES) cpSync(join(root, 'packages', 'cli', file), join(copy, 'packages', 'cli', file));
  for (const name of readdirSync(join(root, 'packages'))) {
    if (name !== 'cli') symlinkSync(join(root, 'packages', name), join(copy, 'packages', name), 'dir');
  }
  mkdirSync(join(copy, 'packages'), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}
