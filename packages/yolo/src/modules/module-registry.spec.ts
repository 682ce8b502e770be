import { ModuleRegistry } from './module-registry.js';
import { ULTRALYTICS_MODULES, YOLOV5_MODULES } from './module-lists.js';
import { convModule } from './conv.js';

describe('ModuleRegistry', () => {
  it('holds an explicit list and refuses a name twice', () => {
    expect(new ModuleRegistry('v5', YOLOV5_MODULES).names()).toEqual(['Bottleneck', 'C3', 'Concat', 'Conv', 'Detect', 'SPP', 'SPPF', 'nn.Upsample']);
    expect(new ModuleRegistry('u', ULTRALYTICS_MODULES).names()).toEqual(['Bottleneck', 'C2f', 'C3', 'Concat', 'Conv', 'Detect', 'SPP', 'SPPF', 'nn.Upsample']);
    expect(() => new ModuleRegistry('twice', [convModule, convModule] as never)).toThrow("module list 'twice' names 'Conv' twice");
  });

  it('gives each version its own Detect and SPPF', () => {
    const v5 = new ModuleRegistry('v5', YOLOV5_MODULES);
    const u = new ModuleRegistry('u', ULTRALYTICS_MODULES);
    expect(v5.get('Detect')?.signature).toBe('[nc, anchors]');
    expect(u.get('Detect')?.signature).toBe('[nc, reg_max=16]');
    expect(v5.get('SPPF')?.signature).toBe('[c2, k=5]');
    expect(u.get('SPPF')?.signature).toBe('[c2, k=5, n=3, shortcut=False]');
    expect(v5.get('C4')).toBeUndefined();
  });
});
