import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Each committed benchmark report is what its bench makes from the committed per-run results
// (`--report-only`: no training, no measuring), so the bench still starts and a report cannot drift
// from the runs it cites. Keys that describe the invocation (time, machine, load) are left out.
const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const VOLATILE = new Set(['wallSecondsThisInvocation', 'date', 'machine', 'resume', 'latency_ms', 'latency_note', 'protocol', 'onnx']);

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (VOLATILE.has(k) ? [] : [[k, stable(v)]])));
  return value;
}

let out: string;
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'yd-bench-reports-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('committed benchmark reports', () => {
  it.each([
    ['distill', []],
    ['prune', ['--models', 'v5n,v8n']],
    ['int8', ['--skip-latency']],
  ] as const)('docs/benchmarks/%s.json is what --report-only makes from the committed runs', (bench, extra) => {
    const prefix = join(out, bench);
    const run = spawnSync(tsx, ['--tsconfig', 'tsconfig.base.json', '--conditions=@yolo-distill/source', `tools/bench/${bench}-experiment.ts`, '--report-only', ...extra, '--out', prefix], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // The error lines only (a stack's inline source maps are noise here).
    const why = run.stderr.split('\n').filter((line) => /error/i.test(line)).slice(0, 5).join('\n');
    expect(run.status, why).toBe(0);
    const made = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as unknown;
    const committed = JSON.parse(readFileSync(join(root, 'docs', 'benchmarks', `${bench}.json`), 'utf8')) as unknown;
    expect(stable(made)).toEqual(stable(committed));
  }, 120_000);
});
