export { prunePlugin } from './plugin.js';
