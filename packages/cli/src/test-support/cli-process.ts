// A `yolo-distill` process for kill tests: main.ts's signal handling, the builtin plugins plus the CLI
// test plugin (test.Counting), run from source through tsx.
import 'reflect-metadata';
import { builtinPlugins } from '../builtin-plugins.js';
import { runCli } from '../cli.js';
import { installStopSignals } from '../stop-signals.js';
import { testPlugin } from './counting-stage.js';

const controller = new AbortController();
installStopSignals(controller);
process.exitCode = await runCli(process.argv.slice(2), { signal: controller.signal, plugins: [...builtinPlugins(), testPlugin] });
