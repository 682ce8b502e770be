import { concatModule, implicitDetectModule, ModuleRegistry, mpModule, repConvModule, spModule, sppcspcModule, upsampleModule, yolov7ConvModule } from '@yolo-distill/yolo';

/**
 * The modules the WongKinYiu/yolov7 YAMLs name (its `models/common.py`): Conv with yolov7's args
 * `[c2, k, s, p, g, act]`, Concat (ELAN blocks are rows: convs and a Concat of [-1, -3, -5, -6]), MP and SP
 * max pools, SPPCSPC, RepConv, nn.Upsample and the IDetect head.
 */
export const yolov7Modules = (): ModuleRegistry =>
  new ModuleRegistry('yolov7', [yolov7ConvModule, concatModule, mpModule, spModule, sppcspcModule, repConvModule, upsampleModule, implicitDetectModule]);
