import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';
import { FIXTURES } from '@yolo-distill/core/testing';
import { adapterNames } from './adapter-names.js';
import { adapterGenerator } from './generator.js';
import { BUILTIN_PLUGINS, registerInPluginList } from './register-adapter.js';
import { copyWorkspace } from './workspace-copy.js';

const workspace = join(import.meta.dirname, '..', '..', '..', '..');
const real = (path: string) => readFileSync(join(workspace, path), 'utf8');
const plain = (text: string) => text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');

/** A virtual workspace holding the real files the generator edits. */
function treeWithCli(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const path of ['tsconfig.json', 'packages/cli/package.json', 'packages/cli/tsconfig.lib.json', BUILTIN_PLUGINS]) tree.write(path, real(path));
  return tree;
}

describe('the adapter generator', () => {
  it('writes the package: manifest, configs, plugin object, model YAML, adapter, specs running the contract suite', () => {
    const tree = treeWithCli();
    adapterGenerator(tree, { name: 'yolov9', skipInstall: true });
    const root = 'packages/yolo-v9';
    const files = tree.listChanges().map((change) => change.path).filter((path) => path.startsWith(root)).sort();
    expect(files).toEqual(
      [
        'README.md', 'package.json', 'tsconfig.json', 'tsconfig.lib.json', 'tsconfig.spec.json', 'vite.config.ts',
        'src/adapter-contract.spec.ts', 'src/index.ts', 'src/model-descriptor.ts', 'src/plugin.spec.ts', 'src/plugin.ts',
        'src/model/build-yolov9.ts', 'src/model/yolov9-yaml.spec.ts', 'src/model/yolov9-yaml.ts', 'src/model/yolov9.yaml',
      ].map((file) => `${root}/${file}`).sort(),
    );
    const manifest = JSON.parse(tree.read(`${root}/package.json`, 'utf-8') as string) as { name: string; nx: { tags: string[] }; exports: Record<string, unknown> };
    expect(manifest).toMatchObject({ name: '@yolo-distill/yolo-v9', nx: { tags: ['scope:plugin'] } });
    expect(manifest.exports['.']).toMatchObject({ '@yolo-distill/source': './src/index.ts' });
    expect(tree.read(`${root}/src/plugin.ts`, 'utf-8')).toContain("meta: { name: '@yolo-distill/yolo-v9', version: '0.1.0' }, descriptors: [yoloV9Model]");
    expect(tree.read(`${root}/src/adapter-contract.spec.ts`, 'utf-8')).toContain("describeAdapterContract({\n  plugin: yoloV9Plugin,\n  type: 'yolov9.Model',");
    // The embedded YAML is the .yaml file's text.
    const embedded = /export const YOLOV9_YAML = (".*");\n/.exec(tree.read(`${root}/src/model/yolov9-yaml.ts`, 'utf-8') as string)?.[1];
    expect(JSON.parse(embedded as string)).toBe(tree.read(`${root}/src/model/yolov9.yaml`, 'utf-8'));
  });

  it('registers it: the CLI plugin list, dependency and project reference, and the root tsconfig', () => {
    const tree = treeWithCli();
    adapterGenerator(tree, { name: 'yolo11', skipInstall: true });
    const plugins = tree.read(BUILTIN_PLUGINS, 'utf-8') as string;
    expect(plugins).toContain("import { yoloV8Plugin } from '@yolo-distill/yolo-v8';\nimport { yolo11Plugin } from '@yolo-distill/yolo-11';\n");
    expect(plugins).toContain('    yoloV8Plugin,\n    yolo11Plugin,\n');
    expect(JSON.parse(tree.read('packages/cli/package.json', 'utf-8') as string).dependencies['@yolo-distill/yolo-11']).toBe('*');
    expect(tree.read('packages/cli/tsconfig.lib.json', 'utf-8')).toContain('"path": "../yolo-11/tsconfig.lib.json"');
    expect(tree.read('tsconfig.json', 'utf-8')).toContain('"path": "./packages/yolo-11"');
    expect(() => adapterGenerator(tree, { name: 'yolo11', skipInstall: true })).toThrow('adapter: packages/yolo-11 exists already');
    expect(() => adapterGenerator(tree, { name: 'v9', skipInstall: true })).toThrow("'v9' is not a YOLO version name");
  });

  it('refuses a plugin list of another shape rather than guessing where the adapter goes', () => {
    expect(() => registerInPluginList('export const plugins = [];\n', adapterNames('yolov9'))).toThrow('has no adapter imports or list entries to add yoloV9Plugin beside');
  });
});

describe('npx nx g @yolo-distill/tools:adapter in a copy of the workspace', () => {
  let copy = '';
  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('scaffolds packages/yolo-v9 and its tests pass', () => {
    copy = copyWorkspace(workspace);
    // The child nx and vitest must not inherit this run's (an outer nx's NX_WORKSPACE_ROOT would point them at the workspace itself).
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(NX_|VITEST|VITE_)/.test(key)));
    const env = { ...inherited, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_CACHE_DIRECTORY: join(copy, '.nx', 'cache'), NX_WORKSPACE_DATA_DIRECTORY: join(copy, '.nx', 'workspace-data'), YOLO_DISTILL_FIXTURES: FIXTURES };
    const generated = plain(execFileSync('npx', ['nx', 'g', '@yolo-distill/tools:adapter', 'yolov9', '--skipInstall', '--no-interactive'], { cwd: copy, env, encoding: 'utf8', stdio: 'pipe' }));
    expect(generated).toContain('CREATE packages/yolo-v9/src/adapter-contract.spec.ts');
    expect(generated).toContain('UPDATE packages/cli/src/builtin-plugins.ts');
    expect(existsSync(join(workspace, 'packages', 'yolo-v9'))).toBe(false); // the workspace itself is untouched
    const tests = plain(execFileSync('npx', ['vitest', 'run'], { cwd: join(copy, 'packages', 'yolo-v9'), env, encoding: 'utf8', stdio: 'pipe' }));
    // The plugin object (2), the embedded YAML (1) and the contract (scale n, forward, training, decode + NMS, checkpoint).
    expect(tests).toMatch(/Tests\s+8 passed \| 1 skipped \(9\)/);
  }, 600_000);
});
