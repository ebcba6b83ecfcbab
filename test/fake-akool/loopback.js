// @ts-check
'use strict';

/**
 * What the fake may fetch: loopback only. Akool fetches public URLs; the fake plays it on a test
 * machine, where a source URL that is not loopback is either a mistake or someone else's server,
 * and must not be contacted.
 */
const dns = require('node:dns');
const net = require('node:net');

/**
 * A URL host name (as `new URL().hostname` gives it, already lower-cased and with IPv4 shorthands
 * such as `127.1` expanded) on loopback: `localhost`, 127.0.0.0/8 or `[::1]`.
 * @param {string} hostname
 */
function isLoopbackHost(hostname) {
	if (hostname === 'localhost' || hostname === '[::1]') return true;
	return net.isIPv4(hostname) && hostname.startsWith('127.');
}

/** An address a name resolved to. @param {string} address */
function isLoopbackAddress(address) {
	return (net.isIPv4(address) && address.startsWith('127.')) || address === '::1';
}

/**
 * `lookup` for http.request: resolves `localhost` as usual but keeps only loopback addresses, so a
 * hosts file that maps it elsewhere cannot send a fetch off the machine.
 * @type {import('node:net').LookupFunction}
 */
function loopbackLookup(hostname, options, callback) {
	dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
		if (error) return callback(error, '', 0);
		const loopback = addresses.filter((entry) => isLoopbackAddress(entry.address));
		if (loopback.length === 0) {
			const refused = Object.assign(new Error(`${hostname} resolves to no loopback address`), { code: 'ENOTLOOPBACK' });
			return callback(refused, '', 0);
		}
		if (options.all) return callback(null, loopback);
		callback(null, loopback[0].address, loopback[0].family);
	});
}

module.exports = { isLoopbackHost, isLoopbackAddress, loopbackLookup };
