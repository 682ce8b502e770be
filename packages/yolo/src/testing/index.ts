// `@yolo-distill/yolo/testing`: the shared adapter contract suite. Test code only (it imports vitest).
export { describeAdapterContract, type AdapterContractOptions, type ContractYaml } from './adapter-contract.js';
