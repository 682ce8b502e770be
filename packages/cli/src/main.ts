// The composition root: reflect-metadata is loaded here, once, before anything that uses tsyringe.
import 'reflect-metadata';
import { runCli } from './cli.js';
import { installStopSignals } from './stop-signals.js';

const controller = new AbortController();
installStopSignals(controller);
process.exitCode = await runCli(process.argv.slice(2), { signal: controller.signal });
