import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importSpecifiers, splitWorkspaceSpecifier } from './import-specifiers.js';

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
  /** The subpaths its package.json `exports` declares (`.`, `./testing`, ...). */
  readonly exports: readonly string[];
}

/** Test-only surfaces: a package's `./testing` subpath may be imported by specs and test support, never by shipped code. */
const TEST_SUBPATH = /^\.\/testing(\/|$)/;
const isTestFile = (path: string): boolean => /\.(spec|test)\.ts$/.test(path) || /[\\/](test-support|testing)[\\/]/.test(path);

function readPackages(): PackageInfo[] {
  return readdirSync(packagesDir).map((folder) => {
    const dir = join(packagesDir, folder);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      nx?: { tags?: string[] };
      dependencies?: Record<string, string>;
      exports?: Record<string, unknown>;
    };
    const tag = manifest.nx?.tags?.find((candidate) => candidate.startsWith('scope:')) ?? '(none)';
    return { dir, name: manifest.name, tag, dependencies: Object.keys(manifest.dependencies ?? {}), exports: Object.keys(manifest.exports ?? { '.': '' }) };
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

/** What is wrong with the workspace imports of one source file (static and dynamic), as messages naming file:line. */
function importProblems(info: PackageInfo, where: string, text: string, known: ReadonlyMap<string, PackageInfo> = byName): string[] {
  const problems: string[] = [];
  for (const { specifier, dynamic, line } of importSpecifiers(text)) {
    const parts = splitWorkspaceSpecifier(specifier);
    if (!parts) continue;
    const target = known.get(parts.name);
    const how = dynamic ? ' (dynamically)' : '';
    if (!target) {
      problems.push(`${where}:${line} imports unknown package ${parts.name}${how}`);
      continue;
    }
    if (!target.exports.includes(parts.subpath)) {
      problems.push(`${where}:${line} deep-imports ${specifier}${how}: ${target.name} exports ${[...target.exports].sort().join(', ')}`);
      continue;
    }
    if (TEST_SUBPATH.test(parts.subpath) && !isTestFile(where)) problems.push(`${where}:${line} imports the test surface ${specifier}${how} outside a spec or test support`);
    if (target.name === info.name) continue;
    if (!info.dependencies.includes(target.name)) problems.push(`${where}:${line} imports ${target.name}${how} without declaring it`);
    if (!ALLOWED[info.tag]?.includes(target.tag)) problems.push(`${where}:${line}: ${info.name} (${info.tag}) must not import ${target.name} (${target.tag})`);
  }
  return problems;
}

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

  it.each(packages.map((info) => [info.name, info] as const))('%s imports only packages it declares, through subpaths they export', (_name, info) => {
    for (const file of sourceFiles(join(info.dir, 'src'))) {
      const text = readFileSync(file, 'utf8');
      const where = relative(packagesDir, file);
      for (const problem of importProblems(info, where, text)) expect.fail(problem);
      if (info.tag !== 'scope:app') expect(text, `${where} must not load reflect-metadata (only the CLI and test setup do)`).not.toMatch(/['"]reflect-metadata['"]/);
    }
  });

  it('the import rule itself: dynamic imports, undeclared subpaths and test surfaces in shipped code are caught', () => {
    const plugin: PackageInfo = { dir: '', name: '@yolo-distill/trainer', tag: 'scope:plugin', dependencies: ['@yolo-distill/core', '@yolo-distill/yolo'], exports: ['.'] };
    const known = new Map<string, PackageInfo>([
      [plugin.name, plugin],
      ['@yolo-distill/eval', { dir: '', name: '@yolo-distill/eval', tag: 'scope:plugin', dependencies: [], exports: ['.'] }],
      ['@yolo-distill/yolo', { dir: '', name: '@yolo-distill/yolo', tag: 'scope:base', dependencies: [], exports: ['.', './package.json', './testing'] }],
    ]);
    const problems = (where: string, text: string) => importProblems(plugin, where, text, known);
    expect(problems('trainer/src/x.ts', "const m = await import('@yolo-distill/eval');")).toEqual([
      'trainer/src/x.ts:1 imports @yolo-distill/eval (dynamically) without declaring it',
      'trainer/src/x.ts:1: @yolo-distill/trainer (scope:plugin) must not import @yolo-distill/eval (scope:plugin)',
    ]);
    expect(problems('trainer/src/x.ts', "import { a } from '@yolo-distill/yolo/src/modules/conv.js';")).toEqual([
      "trainer/src/x.ts:1 deep-imports @yolo-distill/yolo/src/modules/conv.js: @yolo-distill/yolo exports ., ./package.json, ./testing",
    ]);
    expect(problems('trainer/src/x.ts', "import { a } from '@yolo-distill/yolo/testing';")).toEqual([
      'trainer/src/x.ts:1 imports the test surface @yolo-distill/yolo/testing outside a spec or test support',
    ]);
    expect(problems('trainer/src/x.spec.ts', "import { a } from '@yolo-distill/yolo/testing';")).toEqual([]);
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
