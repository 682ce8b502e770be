/**
 * What `@tensorflow/tfjs` registers on import and `tfjs-core` alone does not: the gradient of every
 * op (training needs them), the chained ops (`tensor.add(...)`) and the optimizers. Its registries
 * are process-global, so they serve every copy of tfjs-core. Loaded once, when asked.
 */
let setup: Promise<void> | undefined;

export function prepareTfjs(): Promise<void> {
  setup ??= import('@tensorflow/tfjs').then(() => undefined);
  return setup;
}
