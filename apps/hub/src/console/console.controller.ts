import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Controller, Get, Headers, NotFoundException, Param, Res } from '@nestjs/common';
import { Public } from '@renkei/identity';
import type { Response } from 'express';

/**
 * The console's built files: dist/console beside the compiled hub (dist/apps/hub/src/console),
 * so the production image, which ships dist/ alone, carries it.
 */
export const CONSOLE_DIR = resolve(__dirname, '..', '..', '..', '..', 'console');

/**
 * Scripts only from the hub and no inline script (script-src 'self'), connections only to the
 * hub itself (fetch and the same-origin WebSocket), no framing, no plugins. Styles allow
 * 'unsafe-inline': the component library writes its CSS variables into a <style> element and
 * positions popovers with style attributes; a style cannot run code, and data: images are the
 * QR code of an authenticator enrolment, drawn from the hub's own SVG.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/**
 * The console's client routes, answered with its page so a reload or a shared link opens the
 * screen. Named one by one rather than a catch-all: /graphql, /feeds, /taxii2, /api, /healthz
 * and every future route keep their own answers, and an unknown path stays a JSON 404.
 */
export const CONSOLE_ROUTES = [
  '/',
  'login',
  'account',
  'reset-password',
  'verify-email',
  'inbox',
  'reports/{*path}',
  'lists',
  'lists/{*path}',
  'write',
  'write/{*path}',
  'admin',
  'admin/{*path}',
  'setup',
  'statistics',
  'statistics/{*path}',
  'contacts',
  'assistance',
  'assistance/{*path}',
  'alerts',
  'alerts/{*path}',
];

/** Hashed file names only (name-hash.ext): nothing else under dist/console is served. */
const ASSET_NAME = /^[A-Za-z0-9_-]+\.(js|css|svg|png|woff2)$/;

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
};

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

@Public()
@Controller()
export class ConsoleController {
  @Get(CONSOLE_ROUTES)
  page(@Res() res: Response): void {
    // Read on every request (half a kilobyte): a page kept in memory would go on naming the
    // bundles of an earlier build after dist/console is rebuilt under a running hub.
    const file = join(CONSOLE_DIR, 'index.html');
    if (!existsSync(file)) {
      throw new NotFoundException(
        'The console is not built: `npm run build` builds the hub and the console',
      );
    }
    securityHeaders(res);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    // The page names the current hashed bundles: always ask, so an upgrade shows at once.
    res.setHeader('Cache-Control', 'no-cache');
    res.send(readFileSync(file));
  }

  @Get('assets/:file')
  asset(
    @Param('file') file: string,
    @Headers('accept-encoding') accepts: string | undefined,
    @Res() res: Response,
  ): void {
    const ext = ASSET_NAME.exec(file)?.[1];
    const path = join(CONSOLE_DIR, 'assets', file);
    if (!ext || !existsSync(path)) throw new NotFoundException();
    securityHeaders(res);
    res.setHeader('Content-Type', TYPES[ext]);
    res.setHeader('Vary', 'Accept-Encoding');
    // The build wrote a gzip copy of each script and style sheet (vite.config.mts).
    const gzipped = `${path}.gz`;
    const sendGzip = /\bgzip\b/.test(accepts ?? '') && existsSync(gzipped);
    if (sendGzip) res.setHeader('Content-Encoding', 'gzip');
    // The name carries the content's hash: a new build is a new name, so cache it for a year.
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.sendFile(sendGzip ? gzipped : path);
  }
}
