import { All, Controller, Req, UseFilters } from '@nestjs/common';
import { AllowTokens } from '@renkei/identity';
import type { Request } from 'express';
import { TaxiiExceptionFilter } from './taxii-exception.filter';
import { TaxiiError } from './taxii-params';

/** The read endpoints of TaxiiController: discovery, API root, collections and below. */
const READ_ENDPOINT =
  /^\/taxii2(?:\/api(?:\/collections(?:\/[^/]+(?:\/manifest|\/objects(?:\/[^/]+(?:\/versions)?)?)?)?)?)?\/?$/;

/**
 * Everything under /taxii2 that TaxiiController does not answer, answered in TAXII: 405 for a
 * method other than GET or HEAD on one of its endpoints (the server is read-only), else 404.
 * Registered after TaxiiController, so it only sees what no route of that controller matched;
 * the same guard applies, so without credentials it is a 401 like any TAXII path.
 */
@Controller()
@AllowTokens('reports:read', 'feeds:read')
@UseFilters(TaxiiExceptionFilter)
export class TaxiiFallbackController {
  @All('taxii2{/*path}')
  fallback(@Req() req: Request): never {
    if (req.method !== 'GET' && req.method !== 'HEAD' && READ_ENDPOINT.test(req.path)) {
      throw new TaxiiError(
        405,
        'Method not allowed',
        'This TAXII server is read-only: its endpoints answer GET (and HEAD) only.',
        { Allow: 'GET, HEAD' },
      );
    }
    throw new TaxiiError(404, 'Not found', 'No TAXII endpoint at this path.');
  }
}
