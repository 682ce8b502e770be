import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_PREFERENCE, selectBackend } from './select-backend.js';

function isInstalled(name: string): boolean {
  try {
    import.meta.resolve(name);
    return true;
  } catch {
    return false;
  }
}

describe('selectBackend', () => {
  it('tries native GPU, native CPU, wasm, then cpu', () => {
    expect(BACKEND_PREFERENCE).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
  });

  it('uses the cpu backend when asked and computes with it', async () => {
    const backend = await selectBackend('cpu');
    expect(backend.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const product = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]]));
    expect(Array.from(await product.data())).toEqual([17, 39]);
  });

  it('uses wasm when asked, with its thread count recorded', async () => {
    const backend = await selectBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(backend.threads).toBeGreaterThanOrEqual(1);
    expect(backend.describe()).toMatchObject({ name: 'wasm', tfjs: tf.version_core });
  });

  it('auto picks the first backend that loads and records why the others were skipped', async () => {
    const backend = await selectBackend('auto');
    const nativeInstalled = isInstalled('@tensorflow/tfjs-node') || isInstalled('@tensorflow/tfjs-node-gpu');
    if (!nativeInstalled) {
      expect(backend.name).toBe('wasm');
      expect(backend.skipped.map((entry) => entry.name)).toEqual(['tfjs-node-gpu', 'tfjs-node']);
    } else {
      expect(['tfjs-node-gpu', 'tfjs-node']).toContain(backend.name);
    }
  });

  it('names the backend and the reason when a forced backend cannot load', async () => {
    if (isInstalled('@tensorflow/tfjs-node-gpu')) return;
    await expect(selectBackend('tfjs-node-gpu')).rejects.toThrow(/backend 'tfjs-node-gpu' was requested but cannot be used: .+/);
  });
});
