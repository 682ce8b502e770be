export { yoloV5Plugin } from './plugin.js';
