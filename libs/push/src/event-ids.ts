import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AnyPrincipal } from '@renkei/identity';
import { openId, SealKeys, sealId, sealKeys } from '@renkei/sharing';
import { DataSource } from 'typeorm';

/**
 * Outbox ids as readers see them (ADR 0018): a subscription's cursor is sealed for the reader's
 * organisation (its users and tokens may resume from each other's cursors, which count nothing
 * the organisation may not see), a webhook's event id for its endpoint. The key derives from
 * `feed_state.validator_key`, one per database, so every instance opens what any instance
 * sealed, and a restart keeps stored cursors valid.
 */
@Injectable()
export class EventIds {
  private keys?: Promise<SealKeys>;
  private loaded?: SealKeys;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  static forOrganisation(p: AnyPrincipal): string {
    return `org:${p.organisationId}`;
  }

  static forWebhook(endpointId: string): string {
    return `webhook:${endpointId}`;
  }

  async seal(id: number, reader: string): Promise<string> {
    return sealId(await this.load(), id, reader);
  }

  /**
   * For synchronous callers (shutdown): every position it is asked about was sealed once before,
   * so the keys are loaded.
   */
  sealLoaded(id: number, reader: string): string {
    if (!this.loaded) throw new Error('event id keys not loaded');
    return sealId(this.loaded, id, reader);
  }

  /** The id, or null when the text is not one this hub sealed for this reader. */
  async open(text: string, reader: string): Promise<number | null> {
    return openId(await this.load(), text, reader);
  }

  private load(): Promise<SealKeys> {
    this.keys ??= this.db
      .query('SELECT validator_key FROM feed_state WHERE id = 1')
      .then(([row]: { validator_key: Buffer }[]) => {
        this.loaded = sealKeys(row.validator_key, 'event ids');
        return this.loaded;
      })
      .catch((e: unknown) => {
        this.keys = undefined; // migrations not applied yet: read again on the next use
        throw e;
      });
    return this.keys;
  }
}
