#!/usr/bin/env node
// Runs the built CLI. Before a build (or after a partial one) there is no dist/ to run: say so in one line.
const main = new URL('../dist/main.js', import.meta.url);
try {
  await import(main.href);
} catch (error) {
  const missing = error && error.code === 'ERR_MODULE_NOT_FOUND' && /[\\/]dist[\\/]/.test(String(error.message));
  if (!missing) throw error;
  process.stderr.write('yolo-distill is not built yet: run `npm run build` first (it compiles every package into its dist/ folder)\n');
  process.exit(1);
}
