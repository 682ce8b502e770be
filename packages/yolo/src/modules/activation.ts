import * as tf from '@tensorflow/tfjs-core';

/** The activations Ultralytics' `Conv` uses: SiLU (default), LeakyReLU (v7/v3 YAMLs), ReLU, or none. */
export type Activation =
  | { readonly kind: 'silu' }
  | { readonly kind: 'leaky-relu'; readonly alpha: number }
  | { readonly kind: 'relu' }
  | { readonly kind: 'identity' };

export const SILU: Activation = { kind: 'silu' };
export const IDENTITY: Activation = { kind: 'identity' };

export function applyActivation(x: tf.Tensor4D, activation: Activation): tf.Tensor4D {
  switch (activation.kind) {
    case 'silu':
      return tf.mul(x, tf.sigmoid(x));
    case 'leaky-relu':
      return tf.leakyRelu(x, activation.alpha);
    case 'relu':
      return tf.relu(x);
    case 'identity':
      return x;
  }
}

const ACTIVATION_TEXT = /^(?:torch\.)?nn\.(SiLU|ReLU|Identity|LeakyReLU)\(\s*([^)]*)\)$/;

/**
 * Reads a model YAML's `activation:` value as Ultralytics writes it (`nn.SiLU()`, `nn.LeakyReLU(0.1)`,
 * `torch.nn.ReLU()`, `nn.Identity()`); undefined when the text is none of these.
 */
export function parseActivation(text: string): Activation | undefined {
  const match = ACTIVATION_TEXT.exec(text.trim());
  if (!match) return undefined;
  const [, name, argument = ''] = match;
  const arg = argument.replace(/^negative_slope\s*=\s*/, '').replace(/,?\s*inplace\s*=\s*(True|False)$/, '').trim();
  switch (name) {
    case 'SiLU':
      return SILU;
    case 'ReLU':
      return { kind: 'relu' };
    case 'Identity':
      return IDENTITY;
    case 'LeakyReLU': {
      const alpha = arg === '' ? 0.01 : Number(arg);
      return Number.isFinite(alpha) ? { kind: 'leaky-relu', alpha } : undefined;
    }
    default:
      return undefined;
  }
}

export function describeActivation(activation: Activation): string {
  return activation.kind === 'leaky-relu' ? `LeakyReLU(${activation.alpha})` : { silu: 'SiLU', relu: 'ReLU', identity: 'Identity' }[activation.kind];
}
