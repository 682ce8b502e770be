import { fusedConvBnActEnabled, setFusedConvBnAct } from './fused-training-switch.js';

describe('the fused Conv-BN-act switch', () => {
  const saved = process.env['YOLO_DISTILL_FUSED_CONV_BN'];
  afterEach(() => {
    setFusedConvBnAct(undefined);
    if (saved === undefined) delete process.env['YOLO_DISTILL_FUSED_CONV_BN'];
    else process.env['YOLO_DISTILL_FUSED_CONV_BN'] = saved;
  });

  it('is on by default, off with YOLO_DISTILL_FUSED_CONV_BN=0 (or false)', () => {
    delete process.env['YOLO_DISTILL_FUSED_CONV_BN'];
    expect(fusedConvBnActEnabled()).toBe(true);
    process.env['YOLO_DISTILL_FUSED_CONV_BN'] = '0';
    expect(fusedConvBnActEnabled()).toBe(false);
    process.env['YOLO_DISTILL_FUSED_CONV_BN'] = 'false';
    expect(fusedConvBnActEnabled()).toBe(false);
    process.env['YOLO_DISTILL_FUSED_CONV_BN'] = '1';
    expect(fusedConvBnActEnabled()).toBe(true);
  });

  it('takes an override over the environment until it is cleared', () => {
    process.env['YOLO_DISTILL_FUSED_CONV_BN'] = '0';
    setFusedConvBnAct(true);
    expect(fusedConvBnActEnabled()).toBe(true);
    delete process.env['YOLO_DISTILL_FUSED_CONV_BN'];
    setFusedConvBnAct(false);
    expect(fusedConvBnActEnabled()).toBe(false);
    setFusedConvBnAct(undefined);
    expect(fusedConvBnActEnabled()).toBe(true);
  });
});
