// The composition root: reflect-metadata is loaded here, once, before anything that uses tsyringe.
import 'reflect-metadata';
import { runCli } from './cli.js';

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  process.stderr.write('\nstopping after the current step (Ctrl-C again to quit now)\n');
  controller.abort();
});

process.exitCode = await runCli(process.argv.slice(2), { signal: controller.signal });
