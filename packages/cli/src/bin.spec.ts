import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useTempDir } from '@yolo-distill/core/testing';

const bin = fileURLToPath(new URL('../bin/yolo-distill.js', import.meta.url));
const NOT_BUILT = 'yolo-distill is not built yet: run `npm run build` first (it compiles every package into its dist/ folder)\n';

describe('bin/yolo-distill.js', () => {
  const dir = useTempDir('yd-bin');

  function install(): string {
    mkdirSync(join(dir(), 'bin'), { recursive: true });
    copyFileSync(bin, join(dir(), 'bin', 'yolo-distill.js'));
    writeFileSync(join(dir(), 'package.json'), '{ "type": "module" }\n');
    return join(dir(), 'bin', 'yolo-distill.js');
  }

  it('says in one line to build first when there is no dist/ (exit 1, no stack)', () => {
    const result = spawnSync(process.execPath, [install(), '--help'], { encoding: 'utf8' });
    expect([result.status, result.stderr, result.stdout]).toEqual([1, NOT_BUILT, '']);
  });

  it('says the same when dist/ imports a package that was not built', () => {
    const file = install();
    mkdirSync(join(dir(), 'dist'));
    writeFileSync(join(dir(), 'dist', 'main.js'), "import '../../core/dist/index.js';\n");
    const result = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    expect([result.status, result.stderr]).toEqual([1, NOT_BUILT]);
  });

  it('lets any other error through with its stack', () => {
    const file = install();
    mkdirSync(join(dir(), 'dist'));
    writeFileSync(join(dir(), 'dist', 'main.js'), "throw new Error('boom in main');\n");
    const result = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Error: boom in main');
    expect(result.stderr).not.toContain('not built yet');
  });
});
