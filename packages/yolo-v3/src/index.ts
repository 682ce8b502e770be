export { yoloV3Plugin } from './plugin.js';
