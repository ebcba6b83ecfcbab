// @ts-check
// Plain JS: the lint rules for TypeScript files forbid __dirname and node:path.
const path = require('node:path');

/** The package's root folder (where package.json and dist/ are). */
const packageRoot = path.resolve(__dirname, '..', '..');

module.exports = { packageRoot };
