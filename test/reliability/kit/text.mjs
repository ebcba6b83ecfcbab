// @ts-check
/** Text for failures and the table: an error's whole text, and a clipped line. */

/** All the text of an error: message, description, context. @param {any} error */
export function errorText(error) {
	if (!error) return '';
	return [error.message, error.description, JSON.stringify(error.context ?? {})].join(' \n ');
}

/** @param {string} text @param {number} max */
export const clip = (text, max) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
