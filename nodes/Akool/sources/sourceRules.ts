/** A source URL against the model's source rules (Akool's docs for it), before any create. */
import type { ParameterChecker } from '../../shared/validation';
import type { ImageModel } from '../models/modelTypes';
import { isIpAddressHost } from './publicHost';

const EXTENSIONS: Record<string, string> = { png: 'png', jpg: 'jpeg', jpeg: 'jpeg' };

export function checkSourceUrl(check: ParameterChecker, field: string, url: string, model: ImageModel): void {
	const rules = model.source;
	if (!rules) return;
	const { hostname, pathname } = new URL(url);
	if (!rules.ipAddressUrls && isIpAddressHost(hostname)) {
		check.refuse(field, `a URL with a domain name: ${model.name} refuses IP-address URLs (Akool’s docs)`, url);
	}
	const extension = /\.([a-z0-9]+)$/i.exec(pathname)?.[1]?.toLowerCase();
	if (rules.formats && extension && !rules.formats.includes(EXTENSIONS[extension] as 'png' | 'jpeg')) {
		check.refuse(field, `a JPG, JPEG or PNG image for ${model.name} (Akool’s docs); the URL names a .${extension} file`, url);
	}
}
