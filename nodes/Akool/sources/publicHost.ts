/**
 * Whether Akool can reach a host from the internet. Akool fetches source images itself, and its docs
 * say URLs with an IP address are refused: loopback, a private or link-local network, a bare IP
 * address or a name without a dot (a Docker service, a machine name) can never work.
 * Host names are taken as `new URL()` gives them: lower case, IPv4 normalised, IPv6 in brackets.
 */

/** Why Akool could not reach `hostname`, or undefined when it is a public domain name. */
export function unreachableHostReason(hostname: string): string | undefined {
	const host = unbracket(hostname);
	if (isLocalHost(host)) return `it is on this machine or a local network (${host})`;
	if (ipVersion(host)) return `it is a bare IP address (${host}), which Akool refuses`;
	return undefined;
}

/** Loopback, localhost, private or link-local addresses, and names only a local network resolves. */
export function isLocalHost(hostname: string): boolean {
	const host = unbracket(hostname);
	if (host === 'localhost' || host.endsWith('.localhost')) return true;
	const version = ipVersion(host);
	if (version === 4) return isLocalIpv4(host);
	if (version === 6) return isLocalIpv6(host);
	return !host.includes('.') || /\.(local|internal|lan|home\.arpa)$/.test(host);
}

/** Whether a URL's host is an IP address literal rather than a name. */
export function isIpAddressHost(hostname: string): boolean {
	return ipVersion(unbracket(hostname)) !== 0;
}

function unbracket(hostname: string): string {
	return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** 4 or 6 for an IP address literal, 0 for a name. */
function ipVersion(host: string): 0 | 4 | 6 {
	if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return 4;
	return host.includes(':') ? 6 : 0;
}

/** Loopback, "this network", RFC 1918, link-local and carrier-grade NAT ranges. */
function isLocalIpv4(address: string): boolean {
	const [a, b] = address.split('.').map(Number);
	return (
		a === 127 ||
		a === 0 ||
		a === 10 ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 168) ||
		(a === 169 && b === 254) ||
		(a === 100 && b >= 64 && b <= 127)
	);
}

/** Loopback, unspecified, unique local (fc00::/7), link-local (fe80::/10) and IPv4-mapped local. */
function isLocalIpv6(address: string): boolean {
	const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
	if (mapped) {
		const [high, low] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
		return isLocalIpv4([high >> 8, high & 255, low >> 8, low & 255].join('.'));
	}
	return address === '::1' || address === '::' || /^f[cd]/.test(address) || /^fe[89ab]/.test(address);
}
