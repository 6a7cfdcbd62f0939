import type { Response } from 'express';
import { TaxiiError } from './taxii-params';

/** TAXII 2.1 media type, on every response. */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';

/** The TAXII 2.1 error message (§3.6.1); a 401 names the schemes. */
export function sendTaxiiError(res: Response, e: TaxiiError): void {
  if (e.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="renkei TAXII", Bearer');
  res.status(e.status).setHeader('Content-Type', TAXII_MEDIA_TYPE);
  res.end(
    JSON.stringify({ title: e.title, description: e.description, http_status: String(e.status) }),
  );
}

/** application/taxii+json (version 2.1 or none), or a wildcard, or no Accept at all. */
export function acceptable(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((x) => x.trim().toLowerCase());
    if (type === '*/*' || type === 'application/*') return true;
    if (type !== 'application/taxii+json') return false;
    const version = params.find((x) => x.startsWith('version='));
    return !version || version === 'version=2.1';
  });
}
