export { yoloPlugin } from './plugin.js';
