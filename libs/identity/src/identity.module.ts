import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HUB_CONFIG, HubConfig } from '@renkei/platform';
import { AuthGuard } from './auth/auth.guard';
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

export const IDENTITY_ENTITIES = [Sector, CorporateGroup, Organisation, User, Session, HubSetup];

/** Resolvers only; the schema printer builds the contract from this list without a database. */
export const IDENTITY_RESOLVERS = [
  AuthResolver,
  SetupResolver,
  SectorResolver,
  CorporateGroupResolver,
  OrganisationResolver,
  UserResolver,
];

@Module({
  imports: [TypeOrmModule.forFeature(IDENTITY_ENTITIES)],
  providers: [
    {
      provide: PasswordHasher,
      useFactory: (config: HubConfig) => new PasswordHasher(config.passwords),
      inject: [HUB_CONFIG],
    },
    SessionService,
    AuthService,
    OrganisationService,
    UserService,
    SetupService,
    IdentityLoaders,
    ...IDENTITY_RESOLVERS,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [OrganisationService, UserService, SetupService, SessionService, PasswordHasher],
})
export class IdentityModule {}
