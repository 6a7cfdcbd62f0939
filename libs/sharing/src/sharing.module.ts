import { Global, Module } from '@nestjs/common';
import { AudienceService } from './audience/audience.service';
import { EventRetention } from './event-retention';
import { PublicationBoundary } from './publication/publication-boundary';
import { ScopedDatabase } from './scoped-database';

/**
 * The publication boundary, once for the whole hub: reports, indicator lists and every output
 * (push, webhooks, feeds, TAXII) take scope, audience, pseudonyms and shown times from here.
 */
@Global()
@Module({
  providers: [ScopedDatabase, EventRetention, AudienceService, PublicationBoundary],
  exports: [ScopedDatabase, AudienceService, PublicationBoundary],
})
export class SharingModule {}
