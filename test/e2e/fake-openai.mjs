// @ts-check
/**
 * A tiny OpenAI-compatible server on 127.0.0.1 for the e2e suite: it lets n8n's AI Agent (with n8n's
 * OpenAI Chat Model node pointed at it through the `openAiApi` credential's Base URL) really call the
 * Akool node as a tool, with no network.
 *
 * Script of the conversation, for both APIs the OpenAI Chat Model node speaks
 * (`POST /v1/responses`, the default of node version 1.3, and `POST /v1/chat/completions`):
 *   1. no tool result in the request yet, and tools offered -> one call of the Akool tool (the first
 *      tool whose name contains "akool", else the first tool), with arguments made from its JSON
 *      schema (a prompt for string fields named like "prompt", the first enum value, defaults...);
 *   2. a tool result in the request -> a final assistant message quoting the tool result.
 * `GET /v1/models` lists one model. Every request is recorded (`requests`). Streaming is answered
 * with server-sent events for chat completions only.
 *
 *   node test/e2e/fake-openai.mjs [--port 0]   prints {"baseUrl":"http://127.0.0.1:N/v1","pid":N}
 */
import http from 'node:http';
import { pathToFileURL } from 'node:url';

export const FAKE_OPENAI_PROMPT = 'a small robot watering a plant, watercolor';

/**
 * @typedef {{ method: string, path: string, headers: Record<string, string | string[] | undefined>, body: any,
 *   answered: 'tool_call' | 'final' | 'text' | 'models' | 'not_found', toolName?: string, toolArgs?: any }} OpenAiRequest
 */

/**
 * Arguments for a tool from its JSON schema.
 * @param {any} schema
 * @returns {Record<string, unknown>}
 */
export function argumentsFromSchema(schema) {
	/** @type {Record<string, unknown>} */
	const args = {};
	const props = schema?.properties ?? {};
	for (const [name, p] of Object.entries(props)) {
		args[name] = valueFor(name, /** @type {any} */ (p));
	}
	return args;
}

/** @param {string} name @param {any} p @returns {unknown} */
function valueFor(name, p) {
	if (Array.isArray(p?.enum) && p.enum.length) return p.enum[0];
	if (p?.default !== undefined) return p.default;
	const type = Array.isArray(p?.type) ? p.type.find((/** @type {string} */ t) => t !== 'null') : p?.type;
	const lower = name.toLowerCase();
	switch (type) {
		case 'number':
		case 'integer':
			return typeof p.minimum === 'number' ? p.minimum : 1;
		case 'boolean':
			return false;
		case 'array':
			return [];
		case 'object':
			return argumentsFromSchema(p);
		default:
			if (lower.includes('url')) return 'https://example.com/cat.png';
			if (lower.includes('ratio')) return '1:1';
			if (lower.includes('resolution')) return '1080p';
			if (lower.includes('jobid')) return '';
			return FAKE_OPENAI_PROMPT;
	}
}

/** @param {any[]} tools @param {(t: any) => string} nameOf */
function pickTool(tools, nameOf) {
	return tools.find((t) => /akool/i.test(nameOf(t))) ?? tools[0];
}

/** @param {unknown} s */
const short = (s) => (typeof s === 'string' ? s : JSON.stringify(s)).slice(0, 400);

/**
 * Starts the fake on 127.0.0.1.
 * @param {{ port?: number }} [o]
 * @returns {Promise<{ baseUrl: string, port: number, requests: OpenAiRequest[], close: () => Promise<void> }>}
 */
export async function startFakeOpenAi({ port = 0 } = {}) {
	/** @type {OpenAiRequest[]} */
	const requests = [];
	let seq = 0;
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			/** @type {any} */
			let body;
			try {
				body = text ? JSON.parse(text) : undefined;
			} catch {
				body = text;
			}
			const path = (req.url ?? '/').split('?')[0].replace(/^\/v1(?=\/)/, '');
			/** @type {OpenAiRequest} */
			const rec = { method: req.method ?? 'GET', path, headers: req.headers, body, answered: 'not_found' };
			requests.push(rec);
			const send = (/** @type {number} */ status, /** @type {any} */ json) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(json));
			};
			const created = Math.floor(Date.now() / 1000);
			const id = `fake-${++seq}`;
			if (req.method === 'GET' && path === '/models') {
				rec.answered = 'models';
				return send(200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created, owned_by: 'fake' }] });
			}
			if (req.method === 'POST' && path === '/responses') {
				const input = Array.isArray(body?.input) ? body.input : [];
				const toolOutput = input.find((/** @type {any} */ i) => i?.type === 'function_call_output');
				const tools = (body?.tools ?? []).filter((/** @type {any} */ t) => t?.type === 'function');
				/** @type {any[]} */
				let output;
				if (!toolOutput && tools.length) {
					const tool = pickTool(tools, (t) => t.name);
					const args = argumentsFromSchema(tool.parameters);
					Object.assign(rec, { answered: 'tool_call', toolName: tool.name, toolArgs: args });
					output = [
						{ type: 'function_call', id: `fc_${id}`, call_id: `call_${id}`, name: tool.name, arguments: JSON.stringify(args), status: 'completed' },
					];
				} else {
					rec.answered = toolOutput ? 'final' : 'text';
					const textOut = toolOutput ? `Done. The tool answered: ${short(toolOutput.output)}` : 'Hello from the fake OpenAI server.';
					output = [
						{ type: 'message', id: `msg_${id}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: textOut, annotations: [] }] },
					];
				}
				return send(200, {
					id: `resp_${id}`,
					object: 'response',
					created_at: created,
					status: 'completed',
					model: body?.model ?? 'gpt-4o-mini',
					output,
					parallel_tool_calls: true,
					tool_choice: 'auto',
					tools: body?.tools ?? [],
					usage: { input_tokens: 10, output_tokens: 10, total_tokens: 20, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
				});
			}
			if (req.method === 'POST' && path === '/chat/completions') {
				const messages = Array.isArray(body?.messages) ? body.messages : [];
				const toolMsg = messages.find((/** @type {any} */ m) => m?.role === 'tool');
				const tools = (body?.tools ?? []).filter((/** @type {any} */ t) => t?.type === 'function');
				/** @type {any} */
				let message;
				let finish = 'stop';
				if (!toolMsg && tools.length) {
					const tool = pickTool(tools, (t) => t.function?.name ?? '');
					const args = argumentsFromSchema(tool.function?.parameters);
					Object.assign(rec, { answered: 'tool_call', toolName: tool.function.name, toolArgs: args });
					message = {
						role: 'assistant',
						content: null,
						tool_calls: [{ id: `call_${id}`, type: 'function', function: { name: tool.function.name, arguments: JSON.stringify(args) } }],
					};
					finish = 'tool_calls';
				} else {
					rec.answered = toolMsg ? 'final' : 'text';
					message = { role: 'assistant', content: toolMsg ? `Done. The tool answered: ${short(toolMsg.content)}` : 'Hello from the fake OpenAI server.' };
				}
				const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
				if (body?.stream) {
					res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
					const chunk = (/** @type {any} */ delta, /** @type {string | null} */ fr) =>
						`data: ${JSON.stringify({ id: `chatcmpl-${id}`, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: fr }] })}\n\n`;
					const delta = message.tool_calls
						? { role: 'assistant', content: null, tool_calls: message.tool_calls.map((/** @type {any} */ t, /** @type {number} */ i) => ({ index: i, ...t })) }
						: { role: 'assistant', content: message.content };
					res.write(chunk(delta, null));
					res.write(chunk({}, finish));
					res.end('data: [DONE]\n\n');
					return;
				}
				return send(200, {
					id: `chatcmpl-${id}`,
					object: 'chat.completion',
					created,
					model: body?.model ?? 'gpt-4o-mini',
					choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
					usage,
				});
			}
			return send(404, { error: { message: `fake OpenAI: no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve(undefined));
	});
	const addr = server.address();
	const actualPort = typeof addr === 'object' && addr ? addr.port : 0;
	return {
		baseUrl: `http://127.0.0.1:${actualPort}/v1`,
		port: actualPort,
		requests,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve(undefined));
			}),
	};
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const i = process.argv.indexOf('--port');
	const fake = await startFakeOpenAi({ port: i > 0 ? Number(process.argv[i + 1]) : 0 });
	process.stdout.write(`${JSON.stringify({ baseUrl: fake.baseUrl, pid: process.pid })}\n`);
	const stop = () => void fake.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}
