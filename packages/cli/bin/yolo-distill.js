#!/usr/bin/env node
// Runs the built CLI (`npx nx run @yolo-distill/cli:build` or `npm run build` first).
import '../dist/main.js';
