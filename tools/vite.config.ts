import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../vitest.shared.js';

const shared = sharedTestConfig(import.meta.dirname, '@yolo-distill/tools');
export default defineConfig({ ...shared, cacheDir: '../node_modules/.vite/tools', test: { ...shared.test, setupFiles: [] } });
