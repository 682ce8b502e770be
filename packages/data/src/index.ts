export { dataPlugin, DATA_PACKAGE_VERSION } from './plugin.js';

export {
  formatLabelProblem,
  formatYoloLabels,
  parseYoloLabels,
  readYoloLabels,
  toLabelRows,
  YoloLabelError,
  type LabelParseOptions,
  type LabelProblem,
  type ParsedLabels,
  type YoloBox,
} from './yolo-labels.js';
export { DATA_YAML, dataYamlFile, formatDataYaml, readDataYaml, type DataYaml, type DataYamlInfo } from './yolo-data-yaml.js';
export { IMAGE_EXTENSIONS, isImageFile, labelPathFor, listFilesRecursive } from './yolo-folder.js';
export { decodeImage, encodePng, readImageSize, type ImageVerification } from './image-decode.js';
export {
  decodeRgb,
  letterbox,
  LETTERBOX_GREY,
  letterboxLabels,
  letterboxRgb,
  letterboxTransform,
  rgbToFloat,
  roundHalfEven,
  unletterboxBox,
  type LetterboxedImage,
  type LetterboxTransform,
  type RgbBytes,
} from './letterbox.js';
export { ImageCache, type CachedImage } from './image-cache.js';
export {
  applyInvalidPolicy,
  DatasetProblemsError,
  INVALID_POLICIES,
  problemsSummary,
  type InvalidPolicy,
  type SkipCounts,
} from './invalid-policy.js';
export { datasetSettingsSchema } from './dataset-settings.js';

export { indexYoloDataset, type YoloImageRecord, type YoloIndex, type YoloIndexOptions, type YoloSplitIndex } from './yolo/yolo-index.js';
export { YoloDataset, type YoloDatasetOptions } from './yolo/yolo-dataset.js';
export { yoloDataset, yoloDatasetSchema, type YoloDatasetConfig } from './yolo/yolo-dataset-descriptor.js';

export {
  JsonFileError,
  parseCocoInstances,
  parseJsonText,
  readJsonFile,
  type CocoAnnotation,
  type CocoCategory,
  type CocoImage,
  type CocoInstances,
} from './coco/coco-json.js';
export { cocoClasses, cocoLabels, indexCocoInstances, splitByFraction, type CocoClasses, type CocoImageRecord, type CocoObject } from './coco/coco-index.js';
export { CocoDataset, type CocoDatasetOptions, type CocoSplitFiles, type CocoValFraction } from './coco/coco-dataset.js';
export { cocoDataset, cocoDatasetSchema, cocoOptionsOf, type CocoDatasetConfig } from './coco/coco-dataset-descriptor.js';

export { SHAPE_FORMS, SHAPE_KINDS, isShapeKind, type ShapeForm, type ShapeKind } from './shapes/shape-kinds.js';
export { DECOY_KINDS, FINE_CLASSES, fineClassParts, isFineClass, shapeClassName, type FineClass } from './shapes/fine-classes.js';
export { FILL_STYLES, type FillSpec, type FillStyle } from './shapes/fill-styles.js';
export {
  FINE_MIN_PIXELS,
  isShapesVariant,
  SHAPES_CATALOGUES,
  SHAPES_VARIANTS,
  type ShapeClass,
  type ShapesVariant,
  type VariantCatalogue,
} from './shapes/shape-variants.js';
export {
  DEFAULT_SHAPES_SEED,
  parseShapesOptions,
  resolveShapesOptions,
  shapesOptionsSchema,
  shapesOptionsSchemaFor,
  type ShapesOptions,
  type ShapesOptionsInput,
} from './shapes/shapes-options.js';
export { SHAPES_GENERATOR_VERSION, SHAPES_MANIFEST, type ShapesManifest } from './shapes/shapes-manifest.js';
export {
  ensureShapesDataset,
  generateShapesDataset,
  renderShapesImage,
  type ShapesImage,
  type ShapesPreparation,
} from './shapes/generate-shapes.js';
export { planScene } from './shapes/scene-plan.js';
export { renderScene, type DrawnShape, type RenderedScene, type SceneSpec } from './shapes/scene.js';
export { sceneLabels } from './shapes/scene-labels.js';
export type { ShapeSpec } from './shapes/shape-region.js';
export type { BackgroundSpec } from './shapes/background.js';
export type { ClutterSpec } from './shapes/clutter.js';
export type { Rgb } from './shapes/colour.js';
export type { Box } from './shapes/geometry.js';
export { ShapesDataset } from './shapes/shapes-dataset.js';
export { shapesDataset, shapesDatasetSchema, shapesDatasetSchemaFor, type ShapesDatasetConfig } from './shapes/shapes-descriptor.js';

export { checkYoloDataset, reportOfIndex, type YoloCheckOptions } from './check/check-yolo-dataset.js';
export { checkDatasetSource } from './check/check-dataset-source.js';
export { formatDataCheck, formatProblems, type DataCheckReport, type SplitCounts } from './check/data-check-report.js';
export { checkDataset, DATA_CHECK_FILE, dataCheckStage, DataCheckStage, type DataCheckConfig } from './check/data-check-stage.js';
