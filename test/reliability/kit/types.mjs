// @ts-check
/**
 * The shapes of the reliability matrix: a row (what it runs and what it expects), what the kit hands
 * a row's functions (Env), what a row's check reads (Observation), and what a row's run returns.
 * Types only; import them with `import('./types.mjs').Row` (rows: `import('../row-kit.mjs').Row`).
 */

/** @typedef {Record<string, any>} Obj */

/**
 * @typedef {object} Expect
 * @property {string} text what the row expects, as printed in the matrix
 * @property {number} [creates] items that send a create (or press a button): each counted once
 * @property {number} [requests] total requests the fake must receive (0 for bad input)
 * @property {boolean} [ok] no error at all: every item whole
 * @property {number[] | 'faulted' | 'all'} [errorItems] Continue On Fail on: the input items that yield an error item
 * @property {number | Record<number, number>} [partial] images an erroring item still yields (e.g. a short array)
 * @property {number} [perItem] success outputs per whole item (default: Number of Images, or 1)
 * @property {{ name?: string, message?: RegExp, description?: RegExp, itemIndex?: number | 'faulted' | null }} [error]
 *   Continue On Fail off: the execution error (itemIndex null: a node-level error, no index to name)
 * @property {{ message?: RegExp, description?: RegExp }} [errorItem] Continue On Fail on: the text of the error items
 * @property {boolean} [skipItems] no item checks (cancelled executions)
 * @property {boolean} [jobsNamed] CoF off: every job made must be named (default true)
 * @property {Array<[number, string]>} [answers] trigger rows: n8n's answer to each request (HTTP status, message), in order
 * @property {number} [executions] trigger rows: the executions n8n created
 * @property {number} [received] trigger rows: the items that reached the node after the trigger
 * @property {RegExp} [logged] trigger rows: a line n8n logged while the row ran
 */

/**
 * @typedef {object} TriggerPlan a trigger row: requests POSTed one after another to the BUILT Akool
 *   Trigger's production webhook in one n8n process (kit/trigger.mjs), its own workflow
 * @property {boolean} [noClientId] the credential has no Client ID (default: it has one)
 * @property {(now: number) => number} [signedAt] the genuine callback's timestamp (default: now)
 * @property {TriggerStep[]} steps
 */

/**
 * @typedef {object} TriggerStep
 * @property {(callback: Obj) => unknown} send the request's body, made from the row's genuine signed callback
 * @property {(callback: Obj) => number} [at] wait until this time (epoch ms) before sending
 * @property {boolean} [hold] its execution starts only after the next request is answered (a copy while it runs)
 */

/**
 * @typedef {object} Row
 * @property {string} id
 * @property {string} group
 * @property {Expect} expect
 * @property {Obj | ((env: Env) => Obj)} [params] the Akool node's parameters (every row but trigger rows)
 * @property {TriggerPlan} [trigger] a trigger row: the Akool Trigger instead of Start → Items → Akool
 * @property {Obj[]} [items] input items (json); default one item `{ prompt: 'item 0' }`
 * @property {Files | ((env: Env) => Files)} [files] the items' files (binary data), one `{ property: TestFile }` per item
 * @property {string | ((env: Env) => string)} [instanceBaseUrl] n8n's address as the node sees it (after setup)
 * @property {'memory' | 'filesystem'} [binaryMode] n8n's binary data mode the row needs: memory (the
 *   default, the engine's own) or filesystem (run.mjs switches the process to it for its last phase)
 * @property {boolean} [cof] Continue On Fail
 * @property {number} [typeVersion] the Akool node's version (default 1, what existing workflows have)
 * @property {Obj} [fake] fake options
 * @property {Record<string, any[]> | ((env: Env) => Record<string, any[]>)} [plan] fault plans by kind
 * @property {(env: Env) => Obj} [credential] the credential data (default: the key and the fake's URL)
 * @property {boolean} [otherHost] start a recording server on another host (127.0.0.2)
 * @property {(env: Env) => Promise<Obj | void>} [setup] runs before the plan; its records are dropped
 * @property {(env: Env & { cancel: () => void, marks: Obj }) => void} [onStart]
 * @property {number} [settleMs] wait after the execution ends, before reading the records
 * @property {boolean} [quiet] timing-sensitive: run in the quiet phase, without the load row
 * @property {(o: Observation) => string[] | void} [check] row-specific checks: failures as sentences
 */

/** @typedef {Array<Record<string, import('../../harness/engine.js').TestFile> | undefined>} Files */

/**
 * @typedef {object} OtherHost a server on 127.0.0.2 (another host than the fake's 127.0.0.1 and
 *   localhost) that records every request and answers a PNG: a redirect target
 * @property {string} baseUrl
 * @property {any[]} requests
 * @property {() => Promise<void>} close
 */

/**
 * @typedef {object} Env
 * @property {any} fake
 * @property {OtherHost | undefined} other
 * @property {Obj} state what setup returned
 */

/**
 * @typedef {object} Observation
 * @property {Row} row
 * @property {any} fake
 * @property {OtherHost | undefined} other
 * @property {Obj} state
 * @property {Obj} marks set by onStart (e.g. cancelledAt)
 * @property {Obj[]} items
 * @property {Files} files
 * @property {Obj} params
 * @property {any} run
 * @property {any[]} output the Akool node's output items
 * @property {any} error the execution's error
 * @property {any} taskError the Akool node's task error
 * @property {any[]} requests the fake's records of this row (setup excluded)
 * @property {any[]} jobs jobs made in this row (setup excluded)
 * @property {Set<number>} faulted input items that any planned fault hit
 * @property {number} ms wall time of the execution
 * @property {string[]} leaks where the key was found
 * @property {Obj} counts creates received/refused/items, for the table
 */

/**
 * @typedef {object} RowResult
 * @property {Row} row
 * @property {boolean} passed
 * @property {string[]} failures
 * @property {string} observed
 * @property {string} creates
 * @property {string} itemsInOut
 * @property {number} ms
 * @property {string} [note] what the row measured (load time, time after a cancel...)
 */

export {};
