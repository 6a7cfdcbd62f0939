import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { ApiTokenService } from '../tokens/api-token.service';
import { AnyPrincipal } from './principal';
import { tokenFrom } from './request-context';
import { SessionService } from './session.service';

/** Session bearer tokens (`rks_…`) and the browser pages' session cookie. */
@Injectable()
export class SessionStrategy extends PassportStrategy(Strategy, 'session') {
  constructor(private readonly sessions: SessionService) {
    super();
  }

  async validate(req: Request): Promise<AnyPrincipal | false> {
    const token = tokenFrom(req);
    return (token && (await this.sessions.authenticate(token))) || false;
  }
}

/** Organisation API tokens (`rkt_…`) as Bearer, or as the HTTP Basic password (firewalls). */
@Injectable()
export class ApiTokenStrategy extends PassportStrategy(Strategy, 'api-token') {
  constructor(private readonly tokens: ApiTokenService) {
    super();
  }

  async validate(req: Request): Promise<AnyPrincipal | false> {
    const token = tokenFrom(req);
    return (token && (await this.tokens.authenticate(token, req.ip))) || false;
  }
}
