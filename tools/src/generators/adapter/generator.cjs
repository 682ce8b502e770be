// Nx loads a generator's factory with require(); on Node 20 it cannot strip types itself, and the workspace
// has tsx rather than ts-node or @swc-node: tsx's CommonJS API loads the TypeScript generator.
const { require: tsxRequire } = require('tsx/cjs/api');

module.exports = tsxRequire('./generator.ts', __filename);
