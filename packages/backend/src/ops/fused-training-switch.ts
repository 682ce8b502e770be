let override: boolean | undefined;

/**
 * Whether training-mode Conv-BN-act layers run as one fused op with a hand-written backward (the
 * default) or through autodiff of the separate ops. `YOLO_DISTILL_FUSED_CONV_BN=0` switches it off for
 * a process; `setFusedConvBnAct` overrides the environment (`undefined` restores it).
 */
export function fusedConvBnActEnabled(): boolean {
  if (override !== undefined) return override;
  const env = typeof process === 'undefined' ? undefined : process.env['YOLO_DISTILL_FUSED_CONV_BN'];
  return env !== '0' && env !== 'false';
}

export function setFusedConvBnAct(enabled: boolean | undefined): void {
  override = enabled;
}
