// @ts-check
/**
 * Shared helpers to run the built package inside a REAL n8n (2.41.1 unless AKOOL_E2E_N8N says; installed by scripts/e2e/setup.sh
 * outside the package), one job a file, all of them re-exported here for the suites and the benchmark:
 *   env.mjs                 where n8n is installed, the environment of every n8n command, an instance
 *   install-package.mjs     the npm pack tarball installed as n8n's panel (or the README's npm command) installs it
 *   helpers.mjs             sleep, polling until something is so, free ports, temp folders, n8n-shaped ids
 *   report.mjs              a suite's case run and reported
 *   processes.mjs           commands under a hard timeout, long-running logged processes, readiness
 *   n8n-cli.mjs             `n8n <args>`, credential and workflow import, `n8n execute --rawOutput` parsed
 *   n8n-server.mjs          `n8n start`, and `worker` / `webhook` processes (queue mode)
 *   n8n-db.mjs              an instance's executions (by n8n-db.cjs) and its binary data files
 *   fake-akool-process.mjs  the fake Akool in its own process
 *   redis.mjs, postgres.mjs Redis and PostgreSQL for queue mode
 *   akool-params.mjs        the Akool node (type, credential, parameters) in workflow JSON
 * Node stdlib only. Every server binds 127.0.0.1; every process started here is stopped by its own
 * process group.
 */
export * from './env.mjs';
export * from './install-package.mjs';
export * from './helpers.mjs';
export * from './report.mjs';
export * from './processes.mjs';
export * from './n8n-cli.mjs';
export * from './n8n-server.mjs';
export * from './n8n-db.mjs';
export * from './fake-akool-process.mjs';
export * from './redis.mjs';
export * from './postgres.mjs';
export * from './akool-params.mjs';
