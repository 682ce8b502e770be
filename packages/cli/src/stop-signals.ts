/**
 * SIGINT (Ctrl-C) and SIGTERM (kill, docker stop, a CI timeout) both stop a run after its current step,
 * so run.json says 'aborted' and the last checkpoint is whole; the same signal again quits at once.
 * So does a closed stdout (`yolo-distill run ... --json | head`): without a listener its EPIPE would
 * crash the process mid-step with a stack trace.
 */
export function installStopSignals(controller: AbortController, write: (text: string) => void = (text) => process.stderr.write(text)): void {
  let signals = 0;
  const stop = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(130);
    const again = signal === 'SIGINT' ? 'Ctrl-C' : signal;
    write(`\n${signal === 'SIGINT' ? '' : `${signal}: `}stopping after the current step (${again} again to quit now)\n`);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let stdoutClosed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    if (stdoutClosed) return;
    stdoutClosed = true;
    write('\nstdout was closed (EPIPE): stopping after the current step\n');
    controller.abort();
  });
}
