import type { IHookFunctions } from 'n8n-workflow';

/**
 * Akool takes the callback URL with each request (`webhookurl`): there is no webhook to register,
 * check or remove at Akool, for the trigger's URL or for an execution's resume URL alike.
 */
export const nothingToRegister = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
};
