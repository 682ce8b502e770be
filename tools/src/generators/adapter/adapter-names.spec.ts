import { adapterNames } from './adapter-names.js';

describe('adapterNames', () => {
  it('derives folder, package and identifiers from yolov<N> and yolo<N>', () => {
    expect(adapterNames('yolov9')).toEqual({
      version: 'yolov9',
      folder: 'yolo-v9',
      packageName: '@yolo-distill/yolo-v9',
      pascal: 'YoloV9',
      camel: 'yoloV9',
      constant: 'YOLOV9',
      display: 'YOLOv9',
    });
    expect(adapterNames('yolo11')).toMatchObject({ folder: 'yolo-11', packageName: '@yolo-distill/yolo-11', pascal: 'Yolo11', camel: 'yolo11', constant: 'YOLO11', display: 'YOLO11' });
  });

  it('refuses other names, saying what it takes', () => {
    expect(() => adapterNames('YOLOv9')).toThrow("'YOLOv9' is not a YOLO version name; give yolov<N> (yolov9) or yolo<N> (yolo11)");
    expect(() => adapterNames('yolov')).toThrow('is not a YOLO version name');
    expect(() => adapterNames('../yolov9')).toThrow('is not a YOLO version name');
  });
});
