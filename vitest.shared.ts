import type { ViteUserConfig } from 'vitest/config';

/** The test block every package shares: sources of sibling packages via the source condition. */
export function sharedTestConfig(root: string, name: string): ViteUserConfig {
  const conditions = ['@yolo-distill/source', 'module', 'node', 'import', 'default'];
  return {
    root,
    cacheDir: `${root}/../../node_modules/.vite/${name.replace('@yolo-distill/', '')}`,
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@yolo-distill/source'] } },
    test: {
      name,
      watch: false,
      globals: true,
      environment: 'node',
      include: ['src/**/*.spec.ts'],
      setupFiles: [`${root}/../../tools/test-setup.ts`],
      reporters: ['default'],
      testTimeout: 60_000,
      pool: 'forks',
    },
  };
}
