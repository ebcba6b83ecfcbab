import { isLocalHost, unreachableHostReason } from '../../../../nodes/Akool/sources/publicHost';

const hostOf = (url: string) => new URL(url).hostname;

describe('unreachableHostReason: can Akool reach n8n at this address?', () => {
	it.each([
		'https://n8n.example.com/',
		'https://automation.my-company.de:8443/',
		'http://n8n.example.com/',
	])('a public domain name is fine: %s', (url) => {
		expect(unreachableHostReason(hostOf(url))).toBeUndefined();
		expect(isLocalHost(hostOf(url))).toBe(false);
	});

	it.each([
		['http://localhost:5678/', 'localhost'],
		['http://n8n.localhost/', 'n8n.localhost'],
		['http://127.0.0.1:5678/', '127.0.0.1'],
		['http://127.1.2.3/', '127.1.2.3'],
		['http://0x7f.1/', '127.0.0.1'],
		['http://0.0.0.0:5678/', '0.0.0.0'],
		['http://10.0.0.5/', '10.0.0.5'],
		['http://172.16.0.1/', '172.16.0.1'],
		['http://172.31.255.254/', '172.31.255.254'],
		['http://192.168.1.20:5678/', '192.168.1.20'],
		['http://169.254.169.254/', '169.254.169.254'],
		['http://100.64.0.1/', '100.64.0.1'],
		['http://[::1]:5678/', '::1'],
		['http://[fe80::1]/', 'fe80::1'],
		['http://[fd12:3456::1]/', 'fd12:3456::1'],
		['http://[::ffff:192.168.0.1]/', '::ffff:c0a8:1'],
		['http://n8n:5678/', 'n8n'],
		['http://nas.local/', 'nas.local'],
		['http://n8n.internal/', 'n8n.internal'],
		['http://box.home.arpa/', 'box.home.arpa'],
	])('%s is local', (url, shown) => {
		expect(isLocalHost(hostOf(url))).toBe(true);
		expect(unreachableHostReason(hostOf(url))).toBe(`it is on this machine or a local network (${shown})`);
	});

	it.each([
		['http://203.0.113.7/', '203.0.113.7'],
		['http://172.32.0.1/', '172.32.0.1'],
		['http://[2001:db8::1]/', '2001:db8::1'],
	])('a public bare IP address %s is refused as Akool refuses it', (url, shown) => {
		expect(isLocalHost(hostOf(url))).toBe(false);
		expect(unreachableHostReason(hostOf(url))).toBe(`it is a bare IP address (${shown}), which Akool refuses`);
	});
});
