import { Inject, Injectable } from '@nestjs/common';
import { ForbiddenError, HUB_CONFIG, HubConfig } from '@renkei/platform';
import { ApiTokenService } from '../tokens/api-token.service';
import { HubRequest, tokenFrom } from './request-context';
import { SessionService } from './session.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A Bearer header is never added by a browser on its own; a cookie and Basic are. */
function sentOnPurpose(req: HubRequest): boolean {
  return /^Bearer\s/i.test(req.headers.authorization ?? '');
}

/**
 * Who the caller of an HTTP request is, decided once per request and before anything reads
 * its body: hub.ts runs it ahead of the body parsers (so a stranger's body stays small and an
 * import's is read only for a caller that may write the list), and the guard runs it for a
 * request that came another way. A session token (`rks_`, as Bearer or the console's cookie)
 * or an API token (`rkt_`, as Bearer or the HTTP Basic password) becomes `req.principal`; a
 * credential refused for a reason the caller should know becomes `req.credentialRefusal`,
 * which the guard answers instead of "invalid or expired".
 */
@Injectable()
export class RequestAuthenticator {
  private readonly origins: Set<string>;

  constructor(
    private readonly sessions: SessionService,
    private readonly tokens: ApiTokenService,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.origins = new Set(config.webauthn.origins.map((o) => o.toLowerCase()));
  }

  async authenticate(req: HubRequest): Promise<void> {
    if (req.credentialChecked) return;
    req.credentialChecked = true;
    const token = tokenFrom(req);
    if (!token) return;
    if (!sentOnPurpose(req) && !SAFE_METHODS.has(req.method) && this.crossSite(req)) {
      // The cookie, and Basic credentials a browser remembers, ride along with any page's form
      // or fetch: only SameSite stood in the way of the cookie, and nothing in Basic's.
      req.credentialRefusal = new ForbiddenError(
        'A write with the session cookie or HTTP Basic credentials must come from the hub’s own ' +
          'pages; scripts send the token as Authorization: Bearer instead',
        'CROSS_SITE_REQUEST',
      );
      return;
    }
    if (token.startsWith('rkt_')) {
      const checked = await this.tokens.check(token, req.ip);
      if ('principal' in checked) req.principal = checked.principal;
      else req.credentialRefusal = checked.refusal;
      return;
    }
    req.principal = await this.sessions.authenticate(token);
  }

  /**
   * Browsers say where a request comes from: Sec-Fetch-Site (all current ones), else Origin,
   * else (older browsers and web views send only this on a form POST) Referer. A request with
   * none of them is not from a browser page (curl, a script), where a cookie is sent only on
   * purpose.
   */
  private crossSite(req: HubRequest): boolean {
    const site = req.headers['sec-fetch-site'];
    if (site) return site !== 'same-origin' && site !== 'none';
    const origin = req.headers.origin?.toLowerCase();
    if (origin) return this.foreign(origin, req);
    const referer = req.headers.referer;
    if (!referer) return false;
    try {
      return this.foreign(new URL(referer).origin.toLowerCase(), req);
    } catch {
      return true; // a Referer that is no URL
    }
  }

  /** Whether an origin (scheme://host[:port]) is neither the hub's configured one nor its host. */
  private foreign(origin: string, req: HubRequest): boolean {
    if (this.origins.has(origin)) return false;
    try {
      return new URL(origin).host !== req.headers.host?.toLowerCase();
    } catch {
      return true; // "null" (a sandboxed page, a redirect) or garbage
    }
  }
}
