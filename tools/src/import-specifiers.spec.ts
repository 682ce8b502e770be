import { importSpecifiers, splitWorkspaceSpecifier } from './import-specifiers.js';

describe('importSpecifiers', () => {
  it('reads static, type-only, re-export, side-effect and dynamic imports with their lines', () => {
    const source = [
      "import { a } from '@yolo-distill/core';",
      "import type { B } from \"@yolo-distill/yolo\";",
      "export { c } from './c.js';",
      "import 'reflect-metadata';",
      "const evalPlugin = await import('@yolo-distill/eval');",
      'const later = () =>',
      '  import(',
      "    '@yolo-distill/losses'",
      '  );',
      'const tpl = import(`@yolo-distill/prune`);',
    ].join('\n');
    expect(importSpecifiers(source)).toEqual([
      { specifier: '@yolo-distill/core', dynamic: false, line: 1 },
      { specifier: '@yolo-distill/yolo', dynamic: false, line: 2 },
      { specifier: './c.js', dynamic: false, line: 3 },
      { specifier: 'reflect-metadata', dynamic: false, line: 4 },
      { specifier: '@yolo-distill/eval', dynamic: true, line: 5 },
      { specifier: '@yolo-distill/losses', dynamic: true, line: 7 },
      { specifier: '@yolo-distill/prune', dynamic: true, line: 10 },
    ]);
  });

  it('skips comments and computed specifiers, keeps URLs inside strings intact', () => {
    const source = [
      "// import('@yolo-distill/eval')",
      "/* import { x } from '@yolo-distill/trainer'; */",
      'const mod = await import(name);',
      'const withVar = await import(`@yolo-distill/${name}`);',
      "const url = 'https://example.com/x'; import { y } from '@yolo-distill/data';",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual([{ specifier: '@yolo-distill/data', dynamic: false, line: 5 }]);
  });
});

describe('splitWorkspaceSpecifier', () => {
  it('splits a package from its subpath as package.json exports name it', () => {
    expect(splitWorkspaceSpecifier('@yolo-distill/yolo')).toEqual({ name: '@yolo-distill/yolo', subpath: '.' });
    expect(splitWorkspaceSpecifier('@yolo-distill/yolo/testing')).toEqual({ name: '@yolo-distill/yolo', subpath: './testing' });
    expect(splitWorkspaceSpecifier('@yolo-distill/backend/probe-net')).toEqual({ name: '@yolo-distill/backend', subpath: './probe-net' });
    expect(splitWorkspaceSpecifier('zod')).toBeUndefined();
  });
});
