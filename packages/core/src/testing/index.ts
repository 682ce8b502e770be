// `@yolo-distill/core/testing`: the helpers specs across the workspace share. Test code only (it imports vitest).
export { FIXTURES, ULTRALYTICS_FIXTURES, readFixtureFloats, readFixtureJson, ultralyticsFixture } from './fixtures.js';
export { relativeMaxError } from './relative-error.js';
export { listFiles, makeTempDir, useTempDir } from './temp-dir.js';
export { describePluginObject } from './plugin-object.js';
