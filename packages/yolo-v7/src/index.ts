export { yoloV7Plugin } from './plugin.js';
