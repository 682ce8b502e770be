export { yoloV8Plugin } from './plugin.js';
