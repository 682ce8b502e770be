export { augmentPlugin } from './plugin.js';
