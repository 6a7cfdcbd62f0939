import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { Public } from '@renkei/identity';
import type { Response } from 'express';
import { ACCOUNT_JS, COMMON_JS, LOGIN_JS } from './scripts';
import { ACCOUNT_PAGE, LOGIN_PAGE, STYLE } from './templates';

/**
 * The hub's own browser pages: log in (password, then a second factor; or a passkey alone) and
 * manage one's second factors. Plain HTML and scripts from the hub itself, like the explorer:
 * hub hosts are often offline, and a page that holds a session should load nothing from
 * elsewhere. The pages call the GraphQL API with the HttpOnly session cookie the login sets.
 */

/** Scripts and styles only from the hub, no inline code, no framing, forms post nowhere else. */
export const PAGE_CSP =
  "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

// @simplewebauthn/browser's `exports` map hides its package.json and its UMD bundle from
// require.resolve (and script/ holds a package.json of its own), so find the package's root by
// walking up from its entry point to the package.json that names it.
function packageRoot(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === name) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package root of ${name}`);
    dir = parent;
  }
}

type Asset = { type: string; body: () => string | Buffer };

const ASSETS: Record<string, Asset> = {
  'style.css': { type: 'text/css', body: () => STYLE },
  'common.js': { type: 'text/javascript', body: () => COMMON_JS },
  'login.js': { type: 'text/javascript', body: () => LOGIN_JS },
  'account.js': { type: 'text/javascript', body: () => ACCOUNT_JS },
  // Exposes the global SimpleWebAuthnBrowser (startRegistration, startAuthentication).
  'webauthn.js': {
    type: 'text/javascript',
    body: () =>
      readFileSync(
        join(packageRoot('@simplewebauthn/browser'), 'dist', 'bundle', 'index.umd.min.js'),
      ),
  },
};

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

@Public()
@Controller()
export class PagesController {
  private readonly cache = new Map<string, string | Buffer>();

  @Get('login')
  login(@Res() res: Response): void {
    this.page(res, LOGIN_PAGE);
  }

  @Get('account')
  account(@Res() res: Response): void {
    this.page(res, ACCOUNT_PAGE);
  }

  @Get('pages/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset) throw new NotFoundException();
    let body = this.cache.get(file);
    if (body === undefined) {
      body = asset.body();
      this.cache.set(file, body);
    }
    securityHeaders(res);
    res.setHeader('Content-Type', `${asset.type}; charset=utf-8`);
    // Not cached long: the pages' scripts change with the hub, and their URLs carry no version.
    res.setHeader('Cache-Control', 'no-cache');
    res.send(body);
  }

  private page(res: Response, html: string): void {
    securityHeaders(res);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.send(html);
  }
}
