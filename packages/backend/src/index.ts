export { BACKEND_PREFERENCE, SelectedBackend, selectBackend, type ConcreteBackend } from './select-backend.js';
export { prepareTfjs } from './tfjs-setup.js';
export { registerCpuKernelFixes, registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './kernels/register-wasm-training-kernels.js';
export { availableOrtProviders, DEFAULT_ORT_OPTIONS, OrtSessionFactory } from './onnx/ort-session-factory.js';
export { convBnActTraining, type ConvBnActTrainingOptions, type ConvBnActWeights, type ExplicitPadding } from './ops/conv-bn-act-training.js';
export type { FusedActivation } from './ops/fused-activation.js';
export { fusedConvBnActEnabled, setFusedConvBnAct } from './ops/fused-training-switch.js';
