// @ts-check
// Copies the SVG icons and the codex file (Akool.node.json) next to the compiled node and credential,
// where n8n looks them up ("file:akool.svg", categories and documentation links).
const { src, dest } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.svg', 'nodes/**/*.node.json', 'credentials/**/*.svg'], { base: '.' }).pipe(dest('dist'));
}

exports['build:icons'] = copyIcons;
