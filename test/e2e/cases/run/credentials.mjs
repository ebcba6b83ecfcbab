// @ts-check
/**
 * The keys and credentials of the workflow suite (test/e2e/run.mjs): the right Akool key, a wrong one
 * (a business error), and the fake OpenAI's, all stored in n8n's encrypted store.
 */
import { akoolCredential } from '../../lib/instance.mjs';

export const API_KEY = 'e2e-secret-KEY-7f3a91';
export const WRONG_KEY = 'e2e-wrong-KEY-0c2d55';
export const OPENAI_KEY = 'e2e-openai-KEY-55aa01';
export const GOOD_CRED = { id: 'akoolE2eCred0001', name: 'Akool (e2e fake)' };
const BAD_CRED = { id: 'akoolE2eBadKey01', name: 'Akool (e2e wrong key)' };
export const OPENAI_CRED = { id: 'akoolE2eOpenAi01', name: 'OpenAI (e2e fake)' };

/** The three credentials, on the fakes' addresses. @param {string} fakeBaseUrl @param {string} openAiBaseUrl */
export const credentials = (fakeBaseUrl, openAiBaseUrl) => [
	akoolCredential(GOOD_CRED, { apiKey: API_KEY, baseUrl: fakeBaseUrl }),
	akoolCredential(BAD_CRED, { apiKey: WRONG_KEY, baseUrl: fakeBaseUrl }),
	{ ...OPENAI_CRED, type: 'openAiApi', data: { apiKey: OPENAI_KEY, url: openAiBaseUrl } },
];
