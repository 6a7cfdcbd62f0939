import type { Response } from 'express';
import { TaxiiError } from './taxii-params';

/** TAXII 2.1 media type, on every response. */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';

/** The schemes a 401 names: an API token as Bearer, or as the password of HTTP Basic. */
export const TAXII_AUTHENTICATE = 'Basic realm="renkei TAXII", Bearer';

/** The TAXII 2.1 error message (§3.6.1); `error_id` ties it to the server's log. */
export function taxiiErrorBody(e: TaxiiError, errorId?: string): object {
  return {
    title: e.title,
    ...(e.description ? { description: e.description } : {}),
    ...(errorId ? { error_id: errorId } : {}),
    http_status: String(e.status),
  };
}

/** Headers of a TAXII error: a 401 names the schemes, a 405 what is allowed. */
export function setTaxiiErrorHeaders(res: Response, e: TaxiiError): void {
  if (e.status === 401) res.setHeader('WWW-Authenticate', TAXII_AUTHENTICATE);
  for (const [name, value] of Object.entries(e.headers)) res.setHeader(name, value);
}

/** A TAXII error message with its headers and the media type, written verbatim. */
export function sendTaxiiError(res: Response, e: TaxiiError, errorId?: string): void {
  setTaxiiErrorHeaders(res, e);
  res.status(e.status).setHeader('Content-Type', TAXII_MEDIA_TYPE);
  res.end(JSON.stringify(taxiiErrorBody(e, errorId)));
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
