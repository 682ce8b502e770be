import { installPackagesTask, type GeneratorCallback, type Tree } from '@nx/devkit';
import { adapterFiles } from './adapter-files.js';
import { adapterNames } from './adapter-names.js';
import { registerAdapter } from './register-adapter.js';

export interface AdapterGeneratorSchema {
  /** The version: `yolov9`, `yolo11`. */
  readonly name: string;
  /** Skip `npm install` afterwards (it links the new workspace package and updates package-lock.json). */
  readonly skipInstall?: boolean;
}

/**
 * `nx g @yolo-distill/tools:adapter yolov9`: a new adapter package (packages/yolo-v9) that builds and whose
 * tests run, with a placeholder model YAML and TODOs where the version's own definition and loss go;
 * registered in the CLI's plugin list and the TypeScript project references. The files are written
 * formatted (no formatter runs: the workspace has none).
 */
export function adapterGenerator(tree: Tree, schema: AdapterGeneratorSchema): GeneratorCallback | undefined {
  const names = adapterNames(schema.name);
  const root = `packages/${names.folder}`;
  if (tree.exists(root)) throw new Error(`adapter: ${root} exists already`);
  for (const [path, content] of Object.entries(adapterFiles(names))) tree.write(`${root}/${path}`, content);
  registerAdapter(tree, names);
  return schema.skipInstall ? undefined : () => installPackagesTask(tree, true);
}

export default adapterGenerator;
