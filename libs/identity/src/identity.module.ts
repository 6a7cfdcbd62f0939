import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HUB_CONFIG, HubConfig } from '@renkei/platform';
import { AuditEntry } from './audit/audit-entry.entity';
import { AuditResolver } from './audit/audit.resolver';
import { AuditService } from './audit/audit.service';
import { AuthGuard } from './auth/auth.guard';
import { RequestAuthenticator } from './auth/request-authenticator';
import { PasswordReset } from './auth/password-reset.entity';
import { AuthThrottle } from './auth/throttle.entity';
import { ThrottleService } from './auth/throttle.service';
import { loadTotpKeys } from './mfa/key-ring';
import { Passkey, RecoveryCode, TotpFactor, WebauthnChallenge } from './mfa/mfa.entities';
import { MfaResolver } from './mfa/mfa.resolver';
import { MfaService, SECRET_BOX } from './mfa/mfa.service';
import { SecretBox } from './mfa/secret-box';
import { TotpKeyCheck } from './mfa/totp-key-check';
import { ApiToken } from './tokens/api-token.entity';
import { ApiTokenResolver } from './tokens/api-token.resolver';
import { ApiTokenService } from './tokens/api-token.service';
import { AuthResolver } from './auth/auth.resolver';
import { AuthService } from './auth/auth.service';
import { PasswordHasher } from './auth/password-hasher';
import { Session } from './auth/session.entity';
import { SessionService } from './auth/session.service';
import { CorporateGroup } from './groups/corporate-group.entity';
import { CorporateGroupResolver } from './groups/corporate-group.resolver';
import { IdentityLoaders } from './identity.loaders';
import { Organisation } from './organisations/organisation.entity';
import { OrganisationResolver } from './organisations/organisation.resolver';
import { OrganisationService } from './organisations/organisation.service';
import { Sector } from './sectors/sector.entity';
import { SectorResolver } from './sectors/sector.resolver';
import { HubSetup } from './setup/hub-setup.entity';
import { SetupResolver } from './setup/setup.resolver';
import { SetupService } from './setup/setup.service';
import { User } from './users/user.entity';
import { UserResolver } from './users/user.resolver';
import { UserService } from './users/user.service';

export const IDENTITY_ENTITIES = [
  Sector,
  CorporateGroup,
  Organisation,
  User,
  Session,
  HubSetup,
  AuditEntry,
  TotpFactor,
  Passkey,
  RecoveryCode,
  WebauthnChallenge,
  AuthThrottle,
  PasswordReset,
  ApiToken,
];

/** Resolvers only; the schema printer builds the contract from this list without a database. */
export const IDENTITY_RESOLVERS = [
  AuthResolver,
  SetupResolver,
  SectorResolver,
  CorporateGroupResolver,
  OrganisationResolver,
  UserResolver,
  AuditResolver,
  MfaResolver,
  ApiTokenResolver,
];

@Module({
  imports: [TypeOrmModule.forFeature(IDENTITY_ENTITIES)],
  providers: [
    {
      provide: PasswordHasher,
      useFactory: (config: HubConfig) => new PasswordHasher(config.passwords),
      inject: [HUB_CONFIG],
    },
    {
      provide: SECRET_BOX,
      useFactory: (config: HubConfig) =>
        new SecretBox(loadTotpKeys(config.secrets.totpKeys, config.secrets.keysDir)),
      inject: [HUB_CONFIG],
    },
    SessionService,
    ThrottleService,
    MfaService,
    TotpKeyCheck,
    ApiTokenService,
    RequestAuthenticator,
    AuthService,
    OrganisationService,
    UserService,
    SetupService,
    AuditService,
    IdentityLoaders,
    ...IDENTITY_RESOLVERS,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [
    OrganisationService,
    UserService,
    SetupService,
    SessionService,
    PasswordHasher,
    AuditService,
    ApiTokenService,
    RequestAuthenticator,
    SECRET_BOX,
  ],
})
export class IdentityModule {}
