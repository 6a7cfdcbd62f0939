import { Module } from '@nestjs/common';
import { IdentityModule } from '@renkei/identity';
import { ScopedDatabase } from '@renkei/sharing';
import { FeedController } from './feeds/feed.controller';
import { FeedFastPath } from './feeds/feed-fast-path';
import { FeedGuardResolver } from './feeds/feed-guard.resolver';
import { FeedGuardService } from './feeds/feed-guard.service';
import { FeedPullRecorder, FeedService } from './feeds/feed.service';
import { ImportController } from './imports/import.controller';
import { ListResolver } from './lists/list.resolver';
import { EntryRetention } from './lists/entry-retention.service';
import { ListService } from './lists/list.service';
import { StixNamespace } from './stix/stix-namespace.service';

export const INDICATORS_RESOLVERS = [ListResolver, FeedGuardResolver];
export const INDICATORS_CONTROLLERS = [FeedController, ImportController];

@Module({
  imports: [IdentityModule],
  providers: [
    ScopedDatabase,
    ListService,
    EntryRetention,
    FeedGuardService,
    StixNamespace,
    FeedService,
    FeedPullRecorder,
    FeedFastPath,
    ...INDICATORS_RESOLVERS,
  ],
  controllers: INDICATORS_CONTROLLERS,
  exports: [
    ListService,
    EntryRetention,
    FeedService,
    FeedGuardService,
    FeedFastPath,
    FeedPullRecorder,
    StixNamespace,
  ],
})
export class IndicatorsModule {}
