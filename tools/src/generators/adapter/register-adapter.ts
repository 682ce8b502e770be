import { updateJson, type Tree } from '@nx/devkit';
import type { AdapterNames } from './adapter-names.js';

export const BUILTIN_PLUGINS = 'packages/cli/src/builtin-plugins.ts';

interface References {
  references?: { path: string }[];
}

function addReference(tree: Tree, file: string, path: string): void {
  updateJson<References>(tree, file, (config) => {
    const references = config.references ?? [];
    if (!references.some((reference) => reference.path === path)) references.push({ path });
    return { ...config, references };
  });
}

/**
 * The CLI's plugin list gets the adapter: imported beside the other adapters and listed after the last
 * `yolo...Plugin` entry. A file whose shape is not the expected one is refused rather than guessed at.
 */
export function registerInPluginList(source: string, names: AdapterNames): string {
  const plugin = `${names.camel}Plugin`;
  if (source.includes(`'${names.packageName}'`)) return source;
  const lines = source.split('\n');
  const lastImport = lines.reduce((last, line, i) => (/^import .* from '@yolo-distill\/yolo[^']*';$/.test(line) ? i : last), -1);
  const lastEntry = lines.reduce((last, line, i) => (/^\s+yolo\w*Plugin,$/.test(line) ? i : last), -1);
  if (lastImport < 0 || lastEntry < 0) throw new Error(`adapter: ${BUILTIN_PLUGINS} has no adapter imports or list entries to add ${plugin} beside`);
  const indent = /^(\s+)/.exec(lines[lastEntry] as string)?.[1] ?? '    ';
  lines.splice(lastEntry + 1, 0, `${indent}${plugin},`);
  lines.splice(lastImport + 1, 0, `import { ${plugin} } from '${names.packageName}';`);
  return lines.join('\n');
}

/** Everything outside the new package that names it: the CLI (dependency, project reference, plugin list) and the root tsconfig. */
export function registerAdapter(tree: Tree, names: AdapterNames): void {
  const folder = `packages/${names.folder}`;
  addReference(tree, 'tsconfig.json', `./${folder}`);
  addReference(tree, 'packages/cli/tsconfig.lib.json', `../${names.folder}/tsconfig.lib.json`);
  updateJson<{ dependencies?: Record<string, string> }>(tree, 'packages/cli/package.json', (manifest) => {
    const dependencies = { ...(manifest.dependencies ?? {}), [names.packageName]: '*' };
    return { ...manifest, dependencies: Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b))) };
  });
  const plugins = tree.read(BUILTIN_PLUGINS, 'utf-8');
  if (plugins === null) throw new Error(`adapter: ${BUILTIN_PLUGINS} not found (the CLI's plugin list)`);
  tree.write(BUILTIN_PLUGINS, registerInPluginList(plugins, names));
}
