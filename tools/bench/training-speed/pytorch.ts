import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProbeLayer } from '@yolo-distill/backend/probe-net';

export interface PytorchResult {
  readonly python: string;
  readonly torch: string;
  readonly threads: number;
  readonly stepMs: readonly number[];
}

/** The first python that can `import torch` (the check), or undefined. */
function findTorchPython(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return undefined;
}

/**
 * Times the same probe network in PyTorch on `threads` cores, if torch is importable. `waitPolicy`
 * sets OMP_WAIT_POLICY (PASSIVE: OpenMP threads sleep at barriers instead of spinning, which on a
 * loaded machine is the difference between ~0.3 s and several seconds a step).
 */
export function timePytorch(
  spec: { layers: readonly ProbeLayer[]; outputs: readonly number[]; batch: number; size: number; threads: number; steps: number },
  waitPolicy?: 'PASSIVE' | 'ACTIVE',
): PytorchResult | { skipped: string } {
  const python = findTorchPython();
  if (!python) return { skipped: 'python3 -c "import torch" fails (apt-get install python3-torch to compare)' };
  const script = fileURLToPath(new URL('./pytorch-probe.py', import.meta.url));
  const env = { ...process.env, ...(waitPolicy ? { OMP_WAIT_POLICY: waitPolicy } : {}) };
  const run = spawnSync(python, [script], { input: JSON.stringify(spec), encoding: 'utf8', maxBuffer: 1 << 20, env });
  if (run.status !== 0) return { skipped: `the PyTorch probe failed: ${run.stderr.trim().split('\n').at(-1) ?? ''}` };
  const parsed = JSON.parse(run.stdout) as { stepMs: number[]; torch: string; threads: number };
  return { python, torch: parsed.torch, threads: parsed.threads, stepMs: parsed.stepMs };
}
