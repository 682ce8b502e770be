import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// The dependency rule of DESIGN.md, checked rather than hoped for:
// cli -> {plugins} -> {yolo, backend} -> core; plugins never import each other; core imports no plugin.
const ALLOWED: Record<string, readonly string[]> = {
  'scope:core': [],
  'scope:base': ['scope:core', 'scope:base'],
  'scope:plugin': ['scope:core', 'scope:base'],
  'scope:app': ['scope:core', 'scope:base', 'scope:plugin'],
};

const packagesDir = join(import.meta.dirname, '..', '..', 'packages');

interface PackageInfo {
  readonly dir: string;
  readonly name: string;
  readonly tag: string;
  readonly dependencies: readonly string[];
}

function readPackages(): PackageInfo[] {
  return readdirSync(packagesDir).map((folder) => {
    const dir = join(packagesDir, folder);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      nx?: { tags?: string[] };
      dependencies?: Record<string, string>;
    };
    const tag = manifest.nx?.tags?.find((candidate) => candidate.startsWith('scope:')) ?? '(none)';
    return { dir, name: manifest.name, tag, dependencies: Object.keys(manifest.dependencies ?? {}) };
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const packages = readPackages();
const byName = new Map(packages.map((info) => [info.name, info]));

describe('package boundaries', () => {
  it('every package has a scope tag the rule knows', () => {
    for (const info of packages) expect(Object.keys(ALLOWED), info.name).toContain(info.tag);
  });

  it.each(packages.map((info) => [info.name, info] as const))('%s depends only on what its scope allows', (_name, info) => {
    for (const dependency of info.dependencies.filter((name) => name.startsWith('@yolo-distill/'))) {
      const target = byName.get(dependency);
      expect(target, `${info.name} depends on unknown ${dependency}`).toBeDefined();
      expect(ALLOWED[info.tag], `${info.name} (${info.tag}) must not depend on ${dependency} (${target?.tag})`).toContain(target?.tag);
    }
  });

  it.each(packages.map((info) => [info.name, info] as const))('%s imports only packages it declares, never another package\'s src', (_name, info) => {
    for (const file of sourceFiles(join(info.dir, 'src'))) {
      const text = readFileSync(file, 'utf8');
      const where = relative(packagesDir, file);
      for (const match of text.matchAll(/from '(@yolo-distill\/[^'/]+)(\/[^']*)?'/g)) {
        const [, target, subpath] = match;
        expect(subpath, `${where} deep-imports ${target}${subpath}`).toBeUndefined();
        if (target !== info.name) expect(info.dependencies, `${where} imports ${target} without declaring it`).toContain(target);
      }
      if (info.tag !== 'scope:app') expect(text, `${where} must not load reflect-metadata (only the CLI and test setup do)`).not.toMatch(/['"]reflect-metadata['"]/);
    }
  });

  it('each package has its public face, its test block and a README', () => {
    for (const info of packages) {
      for (const file of ['src/index.ts', 'vite.config.ts', 'README.md', 'tsconfig.lib.json']) {
        expect(existsSync(join(info.dir, file)), `${info.name} lacks ${file}`).toBe(true);
      }
    }
  });

  it('the rule itself: a plugin importing another plugin is refused', () => {
    expect(ALLOWED['scope:plugin']).not.toContain('scope:plugin');
    expect(ALLOWED['scope:core']).toEqual([]);
  });
});
