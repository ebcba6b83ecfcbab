// @ts-check
'use strict';

/**
 * Checks Meitu Yunxiu Pro's `parameter` object (`{ people_type, all_params }`) as Akool's reference
 * page describes it (meitu-yunxiu-parameters.mdx at 420efb75): each function returns the first
 * problem as a message naming the field, or null. See meitu.js for the rest of a Meitu create.
 */
const { MEITU_DEFAULT_PEOPLE_TYPE } = require('./constants');
const { MEITU_PARAMS, SKIN_TONES } = require('./meitu-params');

/** @typedef {import('./meitu-params').ParamRule} ParamRule */

const PEOPLE_KEYS = MEITU_DEFAULT_PEOPLE_TYPE.map((entry) => entry.key);
const ORDER = `the fixed order ${PEOPLE_KEYS.join(', ')}`;
const ENTRY_KEYS = ['age', 'gender', 'key', 'name'];

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
/** @param {unknown} value @param {number} min @param {number} max */
const intIn = (value, min, max) => Number.isInteger(value) && Number(value) >= min && Number(value) <= max;
/** @param {unknown} value */
const show = (value) => JSON.stringify(value) ?? String(value);

/**
 * The shape of one people_type entry (keys, types), before its values are compared.
 * @param {unknown} entry @param {string} at e.g. 'parameter.people_type[1]'
 */
function entryShapeError(entry, at) {
	if (!isObject(entry)) return `${at} must be an object { age, gender, key, name }`;
	const missing = ENTRY_KEYS.filter((key) => !(key in entry));
	const extra = Object.keys(entry).filter((key) => !ENTRY_KEYS.includes(key));
	if (missing.length > 0 || extra.length > 0) {
		const wrong = [...missing.map((k) => `missing ${k}`), ...extra.map((k) => `unknown key ${k}`)];
		return `${at} must have exactly the keys age, gender, key, name (${wrong.join(', ')})`;
	}
	const { age, gender, key, name } = entry;
	if (!(Array.isArray(age) && age.length === 2 && age.every((n) => intIn(n, 0, Infinity)) && age[0] <= age[1]))
		return `${at}.age must be [min, max]: two whole numbers >= 0 with min <= max; got ${show(age)}`;
	if (gender !== 0 && gender !== 1) return `${at}.gender must be 0 or 1; got ${show(gender)}`;
	if (typeof key !== 'string') return `${at}.key must be a string; got ${show(key)}`;
	if (typeof name !== 'string') return `${at}.name must be a string; got ${show(name)}`;
	return null;
}

/**
 * `people_type`: exactly five entries, keys man, woman, child, oldwoman, oldman in that order; with
 * `exact` (the docs: "their content and order are fixed") also the documented values.
 * @param {unknown} people @param {boolean} exact
 */
function peopleTypeError(people, exact) {
	const at = 'parameter.people_type';
	if (people === undefined)
		return `${at} is required: exactly 5 entries in ${ORDER}, copied from Akool's docs`;
	if (!Array.isArray(people) || people.length !== 5) {
		const got = Array.isArray(people) ? `${people.length} entries` : show(people);
		return `${at} must be an array of exactly 5 entries in ${ORDER}; got ${got}`;
	}
	for (const [i, entry] of people.entries()) {
		const shape = entryShapeError(entry, `${at}[${i}]`);
		if (shape) return shape;
	}
	const keys = people.map((entry) => entry.key);
	if (keys.every((key, i) => key === PEOPLE_KEYS[i])) {
		if (!exact) return null;
		const i = people.findIndex((entry, n) => show(pick(entry)) !== show(MEITU_DEFAULT_PEOPLE_TYPE[n]));
		return i < 0
			? null
			: `${at}[${i}] (${PEOPLE_KEYS[i]}) must be exactly ${show(MEITU_DEFAULT_PEOPLE_TYPE[i])} (Akool's docs: the content is fixed); got ${show(pick(people[i]))}`;
	}
	if ([...keys].sort().join() === [...PEOPLE_KEYS].sort().join())
		return `${at} is in the wrong order (${keys.join(', ')}): it must follow ${ORDER}`;
	const i = keys.findIndex((key, n) => key !== PEOPLE_KEYS[n]);
	return `${at}[${i}].key must be '${PEOPLE_KEYS[i]}' (${ORDER}); got ${show(keys[i])}`;
}

/** The entry's fields in the documented key order, so that two entries compare as JSON. @param {Record<string, unknown>} entry */
const pick = (entry) => ({ age: entry.age, gender: entry.gender, key: entry.key, name: entry.name });

/** @param {ParamRule} rule */
function ruleText(rule) {
	if (rule.oneOf) return `one of ${rule.oneOf.join(', ')}`;
	return `a whole number from ${rule.min} to ${rule.max}`;
}

/** @param {unknown} value @param {ParamRule} rule */
const numberOk = (value, rule) =>
	rule.oneOf ? rule.oneOf.includes(/** @type {number} */ (value)) : intIn(value, Number(rule.min), Number(rule.max));

/** A makeup (or hair_color) item: { id, color, alpha }. @param {unknown} item */
const makeupItemOk = (item) =>
	isObject(item) && typeof item.id === 'string' && item.id !== '' && typeof item.color === 'string' && intIn(item.alpha, 0, 100);

/** @param {unknown} value @param {number} length @param {(item: unknown) => boolean} ok */
const listOk = (value, length, ok) => Array.isArray(value) && value.length === length && value.every(ok);

/**
 * What is wrong with one documented field's value, or null.
 * @param {string} name @param {unknown} value @param {ParamRule} rule
 */
function paramError(name, value, rule) {
	const at = `parameter.all_params.${name}`;
	const five = '5 values, one per people_type entry (man, woman, child, oldwoman, oldman)';
	switch (rule.shape) {
		case 'bool':
			return typeof value === 'boolean' ? null : `${at} must be true or false`;
		case 'rgba':
			return listOk(value, 4, (n) => intIn(n, 0, 255)) ? null : `${at} must be [r, g, b, a]: 4 whole numbers from 0 to 255`;
		case 'curve':
			return Array.isArray(value) && value.length >= 2 && value.length % 2 === 0 && value.every((n) => intIn(n, 0, 255))
				? null
				: `${at} must be flattened curve points [x1, y1, x2, y2, ...]: an even number of whole numbers from 0 to 255`;
		case 'makeup':
			return listOk(value, 5, makeupItemOk)
				? null
				: `${at} must be ${five}, each an object { id: material ID, color: string, alpha: 0 to 100 }`;
		case 'skin':
			return listOk(value, 5, (v) => SKIN_TONES.includes(/** @type {string} */ (v)))
				? null
				: `${at} must be ${five}, each one of ${SKIN_TONES.map(show).join(', ')}`;
		case 'any':
			return listOk(value, 5, (v) => typeof v === 'string' || Number.isInteger(v)) ? null : `${at} must be ${five}`;
		case 'filter':
			if (!isObject(value) || typeof value.filter_id !== 'string' || value.filter_id === '')
				return `${at} must be an object { filter_id: a filter material ID, filters_lut_alpha: 0 to 100 }`;
			return value.filters_lut_alpha === undefined || intIn(value.filters_lut_alpha, 0, 100)
				? null
				: `${at}.filters_lut_alpha must be a whole number from 0 to 100`;
		case 'sky':
			if (!isObject(value) || typeof value.logic_id !== 'string' || value.logic_id === '')
				return `${at} must be an object { logic_id: a sky material ID (a string such as "2130"), params: {...} }`;
			return value.params === undefined || (isObject(value.params) && Object.values(value.params).every((n) => typeof n === 'number'))
				? null
				: `${at}.params must be an object of numbers`;
		default:
			if (rule.type === 'int') return numberOk(value, rule) ? null : `${at} must be ${ruleText(rule)}`;
			return listOk(value, 5, (n) => numberOk(n, rule)) ? null : `${at} must be ${five}, each ${ruleText(rule)}`;
	}
}

/**
 * `all_params`: an object; each documented field of the right shape; an undocumented field is an
 * error unless `allowUnknown` (the page calls its table complete: "every supported field").
 * @param {unknown} params @param {boolean} allowUnknown
 */
function allParamsError(params, allowUnknown) {
	const at = 'parameter.all_params';
	if (params === undefined) return `${at} is required: an object of editing settings ({} for none)`;
	if (!isObject(params)) return `${at} must be an object of editing settings; got ${show(params)}`;
	for (const [name, value] of Object.entries(params)) {
		const rule = MEITU_PARAMS.get(name);
		if (!rule) {
			if (allowUnknown) continue;
			return `${at}.${name} is not a Meitu Yunxiu parameter listed in Akool's parameter reference`;
		}
		const error = paramError(name, value, rule);
		if (error) return error;
	}
	return null;
}

/**
 * The whole `parameter` object.
 * @param {unknown} parameter @param {{ exactPeopleType: boolean, allowUnknownParams: boolean }} rules
 */
function parameterError(parameter, rules) {
	if (parameter === undefined)
		return 'parameter is required for meitu/yunxiu-pro/image-to-image: an object { people_type, all_params }';
	if (!isObject(parameter)) return `parameter must be an object { people_type, all_params }; got ${show(parameter)}`;
	const extra = Object.keys(parameter).find((key) => key !== 'people_type' && key !== 'all_params');
	if (extra !== undefined && !rules.allowUnknownParams)
		return `parameter.${extra} is not documented: parameter holds people_type and all_params only`;
	return (
		peopleTypeError(parameter.people_type, rules.exactPeopleType) ??
		allParamsError(parameter.all_params, rules.allowUnknownParams)
	);
}

module.exports = { parameterError, peopleTypeError, allParamsError, PEOPLE_KEYS };
