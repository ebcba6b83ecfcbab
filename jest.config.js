// @ts-check
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	setupFiles: ['<rootDir>/test/setup-env.js'],
	// Each suite starts its own fake Akool; n8n-core is heavy to load, so two workers fit this 2-core machine.
	maxWorkers: 2,
	testTimeout: 60000,
};
