/** What an NPU's compiler wants of an ONNX detector to run it on the accelerator. */
export interface NpuProfile {
  readonly name: string;
  readonly description: string;
  /** Conv input and output channels must be multiples of this (the image input excepted). */
  readonly channelAlignment: number;
  /** Ops the accelerator runs; others fall back to the CPU or fail to compile. */
  readonly ops: ReadonlySet<string>;
  readonly maxKernel?: number;
  readonly strides?: readonly number[];
  readonly maxPoolKernel?: number;
  /** Where these figures come from. */
  readonly source: string;
}

const COMMON_OPS = ['Identity', 'Conv', 'Relu', 'LeakyRelu', 'Sigmoid', 'Mul', 'Add', 'Concat', 'MaxPool', 'Resize', 'Reshape', 'Transpose', 'Split', 'Slice', 'QuantizeLinear', 'DequantizeLinear'];

export const NPU_PROFILES: Readonly<Record<string, NpuProfile>> = {
  tinpu: {
    name: 'tinpu',
    description: "TI's TINPU (C2000 F28P55, AM13E2, MSPM0G5187)",
    channelAlignment: 4,
    ops: new Set(['Identity', 'Conv', 'Relu', 'MaxPool', 'Add', 'Concat', 'Reshape', 'QuantizeLinear', 'DequantizeLinear']),
    maxKernel: 7,
    strides: [1, 2],
    maxPoolKernel: 4,
    source: 'TI MCU AI user guide, "6.2. NPU Guidelines" (software-dl.ti.com/C2000/esd/mcu_ai/user_guide/devices/npu_guidelines.html): generic and pointwise convs take channels in multiples of 4, kernel height at most 7, strides (1,1), (2,1), (2,2), MaxPool at most 4x4',
  },
  'ethos-u55-256': {
    name: 'ethos-u55-256',
    description: 'Arm Ethos-U55, 256-MAC configuration',
    channelAlignment: 8,
    ops: new Set([...COMMON_OPS, 'Softmax', 'Sub', 'Div', 'Pad']),
    source: "Arm community forum (community.arm.com, 'what does the MACs (8x8) of Ethos-U55 specification mean'): full throughput needs width, height and depth in multiples of the 2x2x8 microblock of the 256-MAC configuration (Ethos-U55 TRM); ops: Vela's supported-operator list, where SiLU is Sigmoid x Mul",
  },
  'ethos-u55-128': {
    name: 'ethos-u55-128',
    description: 'Arm Ethos-U55, 128-MAC configuration (Vela, shared SRAM)',
    channelAlignment: 16,
    ops: new Set([...COMMON_OPS, 'Softmax', 'Sub', 'Div', 'Pad']),
    source: "Arm community forum (community.arm.com, 'the SRAM allocation with vela compiler'): Vela sized a 17-channel map as 32 channels (16-channel units) on a U55-128, doubling SRAM and NPU cycles against 16 channels",
  },
};

export function npuProfile(name: string): NpuProfile {
  const profile = NPU_PROFILES[name];
  if (!profile) throw new Error(`unknown NPU profile '${name}' (known: ${Object.keys(NPU_PROFILES).join(', ')})`);
  return profile;
}
