// @ts-check
/**
 * The row kit of the reliability matrix, for the files in rows/: one import for what a row needs.
 * The kit itself lives in kit/, a module a job:
 *   types.mjs        Row, Expect, Env, Observation, RowResult (the shapes)
 *   params.mjs       the Akool node's parameters (generate, transform, ...) and input items (prompts)
 *   fake.mjs         the row's fake Akool: the run's API key, start, setup, fault plan, other host, close
 *   records.mjs      reading the fake's records (recordsOf, jobOfRequest, attemptsPerSubject, ...)
 *   workflow.mjs     Start → Items → Akool in n8n-core's engine with the BUILT node
 *   trigger.mjs      a trigger row: requests to the BUILT Akool Trigger's webhook, and its checks
 *   run-row.mjs      runs one row and applies the generic checks:
 *   secrets.mjs, check-paid.mjs, check-items.mjs   ... the key's secrecy, the paid calls, the items
 *   output.mjs, logs.mjs, text.mjs                  output items, n8n's log lines, failure text
 *   report.mjs       the table, the secrets rows over the whole run, the totals
 *
 * To add rows: write rows/<group>.mjs exporting `rows` (an array of Row: id, group, params or
 * trigger, expect, and what else types.mjs lists), importing from '../row-kit.mjs'. run.mjs runs every file in rows/;
 * `node test/reliability/run.mjs --only <group>` runs just yours. Every row gets the generic checks
 * (run-row.mjs says which); `check` adds the row's own, as sentences of what failed.
 *
 * Import this only after N8N_USER_FOLDER and N8N_LOG_LEVEL are set (run.mjs does): it loads n8n-core.
 */
export { setTimeout as sleep } from 'node:timers/promises';
export { API_KEY, SAMPLE_SOURCE, encodePng, finishedJob, imageSize, readPngSize } from './kit/fake.mjs';
export { logLines } from './kit/logs.mjs';
export { generate, getCredits, getResult, prompts, transform, upscaleOrVary } from './kit/params.mjs';
export { attemptsPerSubject, itemOfPrompt, itemOfRequest, jobOfRequest, recordsOf } from './kit/records.mjs';
export { runRow } from './kit/run-row.mjs';
export { CLIENT_ID, callbackBody } from './kit/trigger.mjs';
export { findKey, leaksByCategory, secretStats } from './kit/secrets.mjs';
export { clip, errorText } from './kit/text.mjs';
export { loadNode } from './kit/workflow.mjs';

/** @typedef {import('./kit/types.mjs').Row} Row @typedef {import('./kit/types.mjs').Expect} Expect @typedef {import('./kit/types.mjs').Env} Env */
/** @typedef {import('./kit/types.mjs').Observation} Observation @typedef {import('./kit/types.mjs').RowResult} RowResult */
/** @typedef {import('./kit/types.mjs').Files} Files @typedef {import('./kit/types.mjs').Obj} Obj */
