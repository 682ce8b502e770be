/**
 * What `@tensorflow/tfjs` does on import and `tfjs-core` alone does not: register the gradient of
 * every op (training needs them) and the chained ops (`tensor.add(...)`), once, when asked.
 */
let setup: Promise<void> | undefined;

export function prepareTfjs(): Promise<void> {
  setup ??= (async () => {
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
    await import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js');
  })();
  return setup;
}
