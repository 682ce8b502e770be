/** The names one adapter goes by, derived from the version: `yolov9` or `yolo11`. */
export interface AdapterNames {
  /** `yolov9`: the YAML type's prefix (`yolov9.Model`), the model YAML's file name, model names (`yolov9n`). */
  readonly version: string;
  /** `yolo-v9` (`yolo-11`): the folder under packages/ and the package name's tail. */
  readonly folder: string;
  readonly packageName: string;
  /** `YoloV9` (`Yolo11`): function names (`buildYoloV9`). */
  readonly pascal: string;
  /** `yoloV9` (`yolo11`): value names (`yoloV9Plugin`, `yoloV9Model`). */
  readonly camel: string;
  /** `YOLOV9` (`YOLO11`): constant names (`YOLOV9_YAML`). */
  readonly constant: string;
  /** `YOLOv9` (`YOLO11`): how prose names it. */
  readonly display: string;
}

const VERSION = /^yolo(v?)(\d+)$/;

/** The names of the adapter for `version`; anything but `yolov<N>` / `yolo<N>` is refused, saying why. */
export function adapterNames(version: string): AdapterNames {
  const match = VERSION.exec(version);
  if (!match) throw new Error(`adapter: '${version}' is not a YOLO version name; give yolov<N> (yolov9) or yolo<N> (yolo11)`);
  const v = match[1] ?? '';
  const n = match[2] as string;
  const folder = `yolo-${v}${n}`;
  return {
    version,
    folder,
    packageName: `@yolo-distill/${folder}`,
    pascal: `Yolo${v ? 'V' : ''}${n}`,
    camel: `yolo${v ? 'V' : ''}${n}`,
    constant: `YOLO${v ? 'V' : ''}${n}`,
    display: `YOLO${v}${n}`,
  };
}
