import { hkdfSync } from 'node:crypto';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { openNext, sealNext } from './next-seal';
import { Position } from './taxii-params';

/**
 * `next` as the client sees it: the page position (date added and the entry's key, which names
 * the batch that first sighted it) sealed with AES-256-GCM under a key of this hub's, bound to
 * the collection. Batch numbers are hub-wide; in clear they would count the imports of lists
 * the reader cannot see. Sealed, a position is only ever read back by the server that wrote
 * it, for the collection it was written for; anything else is a malformed filter. The key is
 * derived from `feed_state.validator_key`, one per database, so every instance opens what any
 * instance sealed.
 */
@Injectable()
export class NextTokens implements OnModuleInit {
  private readonly log = new Logger('NextTokens');
  private key?: Buffer;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async onModuleInit(): Promise<void> {
    try {
      await this.load();
    } catch (error) {
      // Migrations not applied yet (MIGRATIONS_RUN=false): read on first use instead.
      this.log.warn(`TAXII page key not read at start: ${(error as Error).message}`);
    }
  }

  async seal(position: Position, collectionId: string): Promise<string> {
    return sealNext(await this.load(), position, collectionId);
  }

  async open(token: string, collectionId: string): Promise<Position> {
    return openNext(await this.load(), token, collectionId);
  }

  private async load(): Promise<Buffer> {
    if (this.key) return this.key;
    const [row]: { validator_key: Buffer }[] = await this.db.query(
      'SELECT validator_key FROM feed_state WHERE id = 1',
    );
    this.key = Buffer.from(hkdfSync('sha256', row.validator_key, '', 'renkei taxii next', 32));
    return this.key;
  }
}
