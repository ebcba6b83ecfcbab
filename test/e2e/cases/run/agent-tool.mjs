// @ts-check
/** The AI Agent calls the Akool node as a tool (test/e2e/workflows/agent-tool.json, test/e2e/fake-openai.mjs). */
import assert from 'node:assert/strict';

import { expectItems } from '../../lib/expect.mjs';
import { FAKE_OPENAI_PROMPT } from '../../fake-openai.mjs';

/** @type {import('../../lib/workflow-cases.mjs').WorkflowCase} */
export default {
	name: 'AI Agent (OpenAI Chat Model on a fake server) calls the Akool node as a tool',
	workflow: 'akoolE2eAgentTl1',
	check: (r, ctx) => {
		const calls = ctx.openAi.requests.filter((q) => q.answered === 'tool_call');
		assert.ok(calls.length >= 1, 'the model asked for a tool call');
		assert.match(String(calls[0].toolName), /akool/i, `tool name ${calls[0].toolName}`);
		assert.equal(calls[0].toolArgs?.prompt, FAKE_OPENAI_PROMPT, `tool schema has a prompt: ${JSON.stringify(calls[0].toolArgs)}`);
		assert.ok(r.runData['Akool Tool']?.length, 'the Akool tool node ran');
		const toolJson = JSON.stringify(r.runData['Akool Tool']);
		const jobs = ctx.jobs.filter((j) => j.prompt === FAKE_OPENAI_PROMPT);
		assert.equal(jobs.length, 1, 'one Akool job made by the agent');
		assert.ok(toolJson.includes(jobs[0].id), 'the tool output names the job');
		const finals = ctx.openAi.requests.filter((q) => q.answered === 'final');
		assert.ok(finals.length >= 1, 'the tool result went back to the model');
		assert.ok(JSON.stringify(finals[0].body).includes(jobs[0].id), 'the model got the job id from the tool');
		const [out] = expectItems(r, 'AI Agent', 1);
		assert.match(String(out.json.output), /^Done\./, `agent output: ${out.json.output}`);
	},
};
