import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AnyPrincipal } from '@renkei/identity';
import { FORMULA_START, HUB_CONFIG, HubConfig } from '@renkei/platform';
import {
  authorNamed,
  mostRestrictive,
  PolicyPrincipal,
  PublicationBoundary,
  ReportAuthor,
  ScopedDatabase,
} from '@renkei/sharing';
import { ChangeNotifications } from '@renkei/platform';
import { Tlp, TLP_MARKINGS, tlpRank } from '@renkei/sharing/tlp';
import { DataSource } from 'typeorm';
import { copyOut, queryArrays } from '../imports/copy-rows';
import { ListService } from '../lists/list.service';
import {
  blocklistNamespace,
  IndicatorBundleInput,
  indicatorBundleBody,
  IndicatorBundleStream,
} from '../stix';
import { StixNamespace } from '../stix/stix-namespace.service';
import { IndicatorType } from '../values/indicator-value';
import { AddressText, streamsAddressText } from './address-text';
import { AllowList } from './allow-list';
import { FeedBody, FeedCache, feedValidators, RenderedFeed } from './feed-cache';
import { feedKey, FeedRequest } from './feed-params';
import { EntryLines, streamsEntryLines } from './entry-lines';
import {
  CSV_HEADER,
  csvPieces,
  FEED_KINDS,
  FeedEntry,
  JSON_TAIL,
  jsonHead,
  jsonPieces,
  shapeFeedInSlices,
  strongest,
  textPieces,
} from './feed-render';
import { commaSeparated, StixLines } from './stix-lines';
import { TimeSlices } from './time-slices';
import { streamsValueText, ValueText } from './value-text';

const CONTENT_TYPES = {
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  stix: 'application/stix+json;version=2.1',
};

/** feedKey of the fast path's parsed requests, which it keeps and asks for again and again. */
const CANONICAL = new WeakMap<FeedRequest, string>();

/** Rendered feeds are cached per organisation context (what decides visibility) and request. */
function cacheKey(p: AnyPrincipal, request: FeedRequest): string {
  let canonical = CANONICAL.get(request);
  if (canonical === undefined) {
    canonical = feedKey(request);
    CANONICAL.set(request, canonical);
  }
  return `${p.organisationId}|${p.sectorCode}|${p.groupId ?? ''}|${canonical}`;
}

/**
 * Blocklist feeds (ADR 0008): the full current state of every live entry the pulling
 * organisation may see, never RED, minus the allow-list. Rendered bodies are cached per
 * organisation context and request; `feed_state.change_seq` (bumped in every changing
 * transaction) and the first expiry of a served entry decide whether a cached body is still
 * right, so an unchanged feed is answered, and a conditional request gets its 304, without
 * reading a single entry.
 */
@Injectable()
export class FeedService {
  private readonly log = new Logger('FeedService');
  private readonly cache = new FeedCache(256 * 1024 * 1024);
  /**
   * The change counter as the last notification (or read) gave it; null when it must be read
   * from the database: before the listener is up, after it lost its connection, and right after
   * a change made in this process (whose notification may not have come back yet).
   */
  private knownSeq: number | null = null;
  private mustRead = false;
  private localChanges = 0;
  private key?: Promise<Buffer>;

  constructor(
    private readonly scoped: ScopedDatabase,
    @InjectDataSource() private readonly db: DataSource,
    private readonly lists: ListService,
    private readonly changes: ChangeNotifications,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly stixNamespace: StixNamespace,
    private readonly boundary: PublicationBoundary,
  ) {
    changes.on('renkei_feed', (payload: string) => {
      const seq = Number(payload);
      if (payload && Number.isFinite(seq) && !this.mustRead) {
        this.knownSeq = Math.max(this.knownSeq ?? 0, seq);
      } else if (!payload) {
        // A change committed by this process: its own notification may come after one of an
        // older change, so nothing notified is trusted until the counter was read afresh.
        this.knownSeq = null;
        this.mustRead = true;
        this.localChanges++;
      }
    });
    // Who may see what (an organisation's sector or group) changed: read the counter again.
    changes.on('renkei_auth', () => (this.knownSeq = null));
    changes.on('lost', () => (this.knownSeq = null));
    changes.on('reconnected', () => (this.knownSeq = null));
  }

  /** The counter if it can be trusted without asking the database, else null. */
  trustedSeq(): number | null {
    return this.changes.healthy ? this.knownSeq : null;
  }

  /** The change counter every cached body is checked against. */
  async changeSeq(): Promise<number> {
    const trusted = this.trustedSeq();
    if (trusted !== null) return trusted;
    const changesBefore = this.localChanges;
    const [row] = await this.db.query('SELECT change_seq FROM feed_state WHERE id = 1');
    const seq = Number(row.change_seq);
    if (this.changes.healthy) {
      this.knownSeq = Math.max(this.knownSeq ?? 0, seq);
      // Cleared only if no other change of this process came while reading.
      if (changesBefore === this.localChanges) this.mustRead = false;
    }
    return seq;
  }

  keyOf(p: AnyPrincipal, request: FeedRequest): { scope: PolicyPrincipal; key: string } {
    return { scope: this.lists.scopeOf(p), key: cacheKey(p, request) };
  }

  /**
   * A rendered feed still right at this counter, if one is cached (the fast path, on every
   * repeated pull: the request's canonical text is made once per parsed request).
   */
  cached(p: AnyPrincipal, request: FeedRequest, seq: number): RenderedFeed | undefined {
    return this.cache.fresh(cacheKey(p, request), seq, Date.now());
  }

  async feed(p: AnyPrincipal, request: FeedRequest): Promise<RenderedFeed> {
    const { scope, key } = this.keyOf(p, request);
    // Read before the inputs: a change committed meanwhile is then seen again at the next pull.
    const seq = await this.changeSeq();
    return this.cache.getOrRender(key, seq, Date.now(), async (stale) => {
      const inputs = await this.inputs(scope, request);
      if (stale && stale.fingerprint === inputs.fingerprint && Date.now() < stale.nextExpiry) {
        // Something changed that this caller does not see: same body, same validators.
        stale.seq = Math.max(stale.seq, seq);
        return stale;
      }
      return this.render(scope, request, key, seq, inputs, stale);
    });
  }

  /**
   * What a caller's feed depends on besides time, without reading an entry: the versions of
   * the lists it may see that the request selects (row-level security decides which), and the
   * ranges it is never served. Every change to a list's entries updates the list's row, which
   * raises its version (migration FeedVersions).
   */
  private async inputs(scope: PolicyPrincipal, request: FeedRequest): Promise<FeedInputs> {
    const params: unknown[] = [];
    const clauses = listClauses(request, params);
    const { lists, guard } = await this.scoped.run(scope, async (tx) => ({
      lists: (await tx.query(
        `SELECT l.id, l.feed_version::text AS v FROM indicator_list l
          WHERE ${clauses.join(' AND ')} ORDER BY l.id`,
        params,
      )) as { id: string; v: string }[],
      // Holds' reviews, stops, reaches and protected ranges (ADR 0012): any of them may change
      // which entries the lists above yield.
      guard: (await tx.query('SELECT guard_version::text AS v FROM feed_state WHERE id = 1')) as {
        v: string;
      }[],
    }));
    const extra = await this.lists.extraAllowed(scope.orgId);
    return {
      fingerprint: JSON.stringify([
        lists.map((l) => `${l.id}:${l.v}`),
        extra.map((e) => `${e.source}:${e.range}`),
        guard[0].v,
      ]),
      allow: new AllowList(extra),
    };
  }

  private validatorKey(): Promise<Buffer> {
    this.key ??= this.db
      .query('SELECT validator_key FROM feed_state WHERE id = 1')
      .then(([row]: { validator_key: Buffer }[]) => row.validator_key)
      .catch((e: unknown) => {
        this.key = undefined;
        throw e;
      });
    return this.key;
  }

  private async render(
    scope: PolicyPrincipal,
    request: FeedRequest,
    key: string,
    seq: number,
    inputs: FeedInputs,
    stale: RenderedFeed | undefined,
  ): Promise<RenderedFeed> {
    const generatedAt = new Date();
    // One budget for the whole render (ADR 0020): reading, shaping and writing all check in.
    const slices = new TimeSlices();
    const { body, count, omitted, nextExpiry } =
      (await this.streamed(scope, request, inputs.allow, generatedAt, slices)) ??
      (await this.shaped(scope, request, inputs.allow, generatedAt, slices));
    const validators = feedValidators(
      await this.validatorKey(),
      key,
      inputs.fingerprint,
      nextExpiry,
      body,
    );
    let lastModified = Math.floor(generatedAt.getTime() / 1000) * 1000;
    if (
      stale &&
      stale.sha256 === validators.sha256 &&
      stale.contentType === CONTENT_TYPES[request.format]
    ) {
      // Rendered again (a visible list's name changed, say) into the same bytes: a client
      // holding them keeps its 304. JSON and STIX carry their generation time, so never match.
      validators.etag = stale.etag;
      lastModified = stale.lastModified.getTime();
    } else if (stale && lastModified <= stale.lastModified.getTime()) {
      // New content within the second of the previous: Last-Modified must still move, or an
      // If-Modified-Since client would be told its copy is current.
      lastModified = stale.lastModified.getTime() + 1000;
    }
    return {
      seq,
      fingerprint: inputs.fingerprint,
      nextExpiry,
      ...validators,
      lastModified: new Date(lastModified),
      body: body.pieces,
      size: body.size,
      contentType: CONTENT_TYPES[request.format],
      count,
      omitted,
    };
  }

  /** Every other feed: the entries read and shaped here (ADR 0020), then written in a format. */
  private async shaped(
    scope: PolicyPrincipal,
    request: FeedRequest,
    allow: AllowList,
    generatedAt: Date,
    slices: TimeSlices,
  ): Promise<RenderedBody> {
    const rows = await this.entries(scope, request, slices);
    let nextExpiry = Infinity;
    for (const r of rows) nextExpiry = Math.min(nextExpiry, r.expiresAt);
    const shaped = await shapeFeedInSlices(rows, allow, request, slices);
    const body = await this.body(request, shaped.entries, generatedAt, slices);
    return { body, count: shaped.entries.length, omitted: shaped.omitted, nextExpiry };
  }

  /**
   * The feeds PostgreSQL filters, merges and sorts under the caller's scope and streams as the
   * feed's lines (ADR 0031, 0037); the hub passes the allow-list and the parts over them and
   * keeps the bytes as they come. Text: `AddressText`, `ValueText`; CSV and JSON: `EntryLines`.
   * A feed of every kind is its addresses, then its other kinds (the feed's order of kinds), one
   * stream after the other into one body, `max` counted across both. Undefined for the feeds
   * that are shaped in the hub, and for a stream whose bytes only the shaped path writes right
   * (`unstreamable`).
   */
  private async streamed(
    scope: PolicyPrincipal,
    r: FeedRequest,
    allow: AllowList,
    generatedAt: Date,
    slices: TimeSlices,
  ): Promise<RenderedBody | undefined> {
    if (this.config.feedRender === 'shaped') return undefined;
    const addressKinds = FEED_KINDS[r.kind].filter((k) => FEED_KINDS.ip.includes(k));
    // By kind in the feed's order of kinds (hashes: md5, sha1, sha256), then as JavaScript
    // compares the (ASCII, see ValueText and EntryLines) values; a value has one kind.
    const valueKinds = FEED_KINDS[r.kind].filter((k) => !FEED_KINDS.ip.includes(k));
    // Canonical networks: the feed's order (`compareEntries`), see AddressText.
    const addressOrder = ['e.value::inet', 'e.value'];
    const valueOrder = [
      `array_position(ARRAY[${valueKinds.map((t) => `'${t}'`).join(',')}], e.type)`,
      'e.value COLLATE "C"',
    ];
    if (streamsEntryLines(r)) {
      return this.entriesStreamed(scope, r, allow, generatedAt, slices, [
        [addressKinds, addressOrder, true],
        [valueKinds, valueOrder, false],
      ]);
    }
    const segments: Segment[] = [];
    let values: ValueText | undefined;
    if (streamsAddressText(r) || (r.format === 'txt' && r.kind === 'all')) {
      const text = new AddressText(allow, r);
      segments.push({ text, kinds: addressKinds, order: addressOrder });
      if (r.kind === 'all') values = new ValueText(r, () => text.count);
    } else if (streamsValueText(r)) {
      values = new ValueText(r);
    } else {
      return undefined;
    }
    if (values) segments.push({ text: values, kinds: valueKinds, order: valueOrder });
    const streamed = await this.fromStream(scope, r, slices, segments, 'txt');
    if (values?.unstreamable) return this.fellBack(r);
    const body = new FeedBody();
    await addPieces(body, streamed.pieces, slices);
    return { ...streamed, body };
  }

  /**
   * CSV, JSON and STIX from the stream of the JSON feed's entries (ADR 0037): CSV and JSON as
   * PostgreSQL writes their lines, STIX built from them a 64 kB step at a time. The JSON count
   * and the STIX bundle id (which hashes every object) are known last: the head is added last.
   */
  private async entriesStreamed(
    scope: PolicyPrincipal,
    r: FeedRequest,
    allow: AllowList,
    generatedAt: Date,
    slices: TimeSlices,
    kinds: (readonly [readonly string[], string[], boolean])[],
  ): Promise<RenderedBody | undefined> {
    const bundle =
      r.format === 'stix'
        ? new IndicatorBundleStream({
            namespace: blocklistNamespace(await this.stixNamespace.get()),
            generatedAt,
            author: HUB_AUTHOR,
          })
        : undefined;
    const lines = bundle
      ? new StixLines(allow, r, bundle)
      : new EntryLines(r.format as 'csv' | 'json', allow, r);
    const segments = kinds
      .filter(([k]) => k.length)
      .map(([k, order, addresses]) => ({
        text: lines,
        kinds: k,
        order,
        start: () => lines.segment(addresses),
      }));
    const format = r.format === 'csv' ? 'csv' : 'json';
    const streamed = await this.fromStream(scope, r, slices, segments, format);
    if (lines.unstreamable) return this.fellBack(r);
    const body = new FeedBody();
    if (bundle) {
      const tail = bundle.finish();
      for (const piece of streamed.pieces) {
        tail.add(piece);
        const due = slices.pauseIfLong();
        if (due) await due;
      }
      body.add(tail.head());
      body.add(tail.before);
      await addPieces(body, streamed.pieces, slices, commaSeparated);
      body.add(']}');
    } else if (r.format === 'json') {
      body.add(jsonHead(generatedAt, streamed.count));
      await addPieces(body, streamed.pieces, slices);
      body.add(JSON_TAIL);
    } else {
      body.add(`${CSV_HEADER}\n`);
      await addPieces(body, streamed.pieces, slices);
    }
    return { ...streamed, body };
  }

  /** A stream whose bytes only the shaped path writes right: said, for whoever measures. */
  private fellBack(r: FeedRequest): undefined {
    this.log.log(
      `${r.kind}.${r.format}: rendered in the hub, the database's stream cannot give its bytes`,
    );
    return undefined;
  }

  /**
   * The stream's pieces: each segment one `COPY`, in one transaction under the caller's scope.
   * `txt` rows are the values; `csv` and `json` rows are `value TAB line` (`entryRows`).
   */
  private async fromStream(
    scope: PolicyPrincipal,
    r: FeedRequest,
    slices: TimeSlices,
    segments: Segment[],
    format: 'txt' | 'csv' | 'json',
  ): Promise<Omit<RenderedBody, 'body'> & { pieces: Buffer[] }> {
    // Everything is made inside the transaction: a replica's failure runs it again on the primary.
    return this.scoped.run(scope, async (tx) => {
      const pieces: Buffer[] = [];
      const params: unknown[] = [];
      const clauses = listClauses(r, params);
      const lists: StreamList[] = await tx.query(
        `SELECT l.seq, l.tlp, l.owner_org_id AS owner, l.anonymous, l.reveal_to_coordinators AS reveal
           FROM indicator_list l WHERE ${clauses.join(' AND ')}`,
        params,
      );
      if (!lists.length) return { pieces, count: 0, omitted: 0, nextExpiry: Infinity };
      const seqs = lists.map((l) => l.seq);
      // Each list's times are shown as its author is (ADR 0017): rounded behind a pseudonym only.
      let rounded: number[] = [];
      if (format !== 'txt') {
        const ctx = await this.boundary.authorContext(
          tx,
          scope,
          lists.map((l) => l.owner),
        );
        rounded = lists
          .filter((l) => !authorNamed(this.boundary.author(ctx, l.owner, l.anonymous, l.reveal)))
          .map((l) => l.seq);
      }
      // A fresh import has no statistics yet: the planner would look up a batch per entry.
      await tx.query(`SET LOCAL enable_nestloop = off`);
      await tx.query(`SET LOCAL work_mem = '64MB'`);
      // Entries are grouped by the feed's order, so one sort gives both (a hash would need two).
      await tx.query(`SET LOCAL enable_hashagg = off`);
      const [{ next }]: { next: number | null }[] = await tx.query(
        `SELECT (extract(epoch FROM min(coalesce(e.valid_until, b.valid_until))) * 1000)::float8 AS next
           ${liveEntries(seqs, FEED_KINDS[r.kind], r)}`,
      );
      for (const { text, kinds, order, start } of segments) {
        start?.();
        const rows =
          format === 'txt'
            ? `SELECT DISTINCT ON (${order.join(', ')}) e.value ${liveEntries(seqs, kinds, r)}
                ORDER BY ${order.join(', ')}`
            : this.entryRows(lists, rounded, kinds, r, order, format);
        // One line per value (values are unique per list, so only lists overlap), in feed order.
        const copy = await copyOut(tx, `COPY (${rows}) TO STDOUT`);
        for await (const chunk of copy) {
          // A chunk is what the socket had buffered, megabytes when the hub fell behind: it is
          // passed over in pieces, with a turn of the event loop once a slice is used up.
          for (let at = 0; at < (chunk as Buffer).length; at += STREAM_STEP) {
            const part = (chunk as Buffer).subarray(at, at + STREAM_STEP);
            for (const piece of text.push(part)) pieces.push(piece);
            const due = slices.pauseIfLong();
            if (due) await due;
          }
        }
        for (const piece of text.end()) pieces.push(piece);
      }
      // The last segment counts the lines of every segment before it.
      const { text } = segments[segments.length - 1];
      return {
        pieces,
        count: text.count - text.omitted,
        omitted: text.omitted,
        nextExpiry: next ?? Infinity,
      };
    });
  }

  /**
   * The rows of a CSV or JSON feed (ADR 0037): per value, what `entries` and `strongest` make of
   * the lists' entries — the highest confidence; the earliest first sighting, the latest last
   * sighting and expiry, each first shown as its list's author is (`boundary.timeSql` for the
   * lists in `rounded`); the least restrictive marking; the tags of a value in one list as
   * stored, of a value in several their sorted union — written as the feed writes the entry
   * (`csvPieces`, `jsonPieces`: `csvCell`, `iso`, `JSON.stringify`), after its value and a tab.
   */
  private entryRows(
    lists: StreamList[],
    rounded: number[],
    kinds: readonly string[],
    r: FeedRequest,
    order: string[],
    format: 'csv' | 'json',
  ): string {
    const seqs = lists.map((l) => l.seq);
    const shown = (column: string) =>
      rounded.length
        ? this.boundary.timeSql(column, `e.list_seq IN (${rounded.map(Number).join(',')})`)
        : column;
    const rank = `CASE e.list_seq ${lists
      .map((l) => `WHEN ${Number(l.seq)} THEN ${tlpRank(l.tlp)}`)
      .join(' ')} END`;
    const markings = `ARRAY[${TLP_MARKINGS.map((t) => `'${t}'`).join(',')}]`;
    const line =
      format === 'csv'
        ? `${csvCellSql('e.value')} || ',' || e.type || ',' || e.confidence || ',' ||
           ${isoSql('e.first_seen')} || ',' || ${isoSql('e.last_seen')} || ',' ||
           ${isoSql('e.valid_until')} || ',' || e.tlp || ',' ||
           ${csvCellSql(`array_to_string(e.tags, ';', '')`)}`
        : `'{"value":' || to_json(e.value)::text || ',"type":"' || e.type || '","confidence":' ||
           e.confidence || ',"first_seen":"' || ${isoSql('e.first_seen')} ||
           '","last_seen":"' || ${isoSql('e.last_seen')} || '","valid_until":"' ||
           ${isoSql('e.valid_until')} || '","tlp":"' || e.tlp || '","tags":' ||
           array_to_json(e.tags)::text || '}'`;
    // Grouped by the feed's order: the groups come out sorted, no second sort of the lines.
    const keys = order.map((k, i) => `${k} AS k${i}`).join(', ');
    return `SELECT e.value, ${line} FROM (
        SELECT ${keys}, e.value, e.type::text AS type, max(e.confidence) AS confidence,
               min(e.first_seen) AS first_seen, max(e.last_seen) AS last_seen,
               max(e.valid_until) AS valid_until, (${markings})[min(e.rank) + 1] AS tlp,
               CASE WHEN count(*) = 1 THEN min(e.tags) ELSE ARRAY(
                 SELECT DISTINCT t COLLATE "C" FROM json_array_elements(json_agg(e.tags)) a,
                        json_array_elements_text(a) t ORDER BY 1) END AS tags
          FROM (SELECT e.value, e.type, coalesce(e.confidence, b.confidence) AS confidence,
                       ${shown('coalesce(e.first_seen, fb.seen_at)')} AS first_seen,
                       ${shown('coalesce(e.last_seen, b.seen_at)')} AS last_seen,
                       ${shown('coalesce(e.valid_until, b.valid_until)')} AS valid_until,
                       ${rank} AS rank, coalesce(e.tags, b.tags) AS tags
                  ${liveEntries(seqs, kinds, r)}) e
         GROUP BY ${order.join(', ')}, e.value, e.type) e
      ORDER BY ${order.map((_, i) => `e.k${i}`).join(', ')}`;
  }

  /** The body in pieces, a turn of the event loop between them when a slice is used up. */
  private async body(
    request: FeedRequest,
    entries: FeedEntry[],
    generatedAt: Date,
    slices: TimeSlices,
  ): Promise<FeedBody> {
    const body = new FeedBody();
    const size = this.config.feedPieceBytes;
    if (request.format === 'stix') {
      const input = await stixInput(entries, generatedAt, await this.stixNamespace.get(), slices);
      // The head carries the bundle id, which hashes every object: it is known last.
      const objects: Buffer[] = [];
      const pieces = indicatorBundleBody(input, size);
      let next = pieces.next();
      for (; !next.done; next = pieces.next()) {
        objects.push(Buffer.from(next.value, 'utf8'));
        const due = slices.pauseIfLong();
        if (due) await due;
      }
      body.add(next.value);
      for (const piece of objects) {
        body.add(piece);
        const due = slices.pauseIfLong();
        if (due) await due;
      }
      return body;
    }
    const pieces =
      request.format === 'txt'
        ? textPieces(entries, size)
        : request.format === 'csv'
          ? csvPieces(entries, size)
          : jsonPieces(entries, generatedAt, size);
    for (const piece of pieces) {
      body.add(piece);
      const due = slices.pauseIfLong();
      if (due) await due;
    }
    return body;
  }

  /**
   * Live entries of published lists the caller may see (row-level security decides), merged
   * per value across lists: the highest confidence, the widest dates, the least restrictive
   * marking. Three plain reads in one transaction — the lists, their batches, their entries —
   * joined here: a batch is shared by every line of an import, so the database would otherwise
   * look one up per entry, and times travel as epoch milliseconds (cheap to read) as arrays.
   */
  private async entries(
    scope: PolicyPrincipal,
    r: FeedRequest,
    slices: TimeSlices,
  ): Promise<(FeedEntry & { expiresAt: number })[]> {
    type Batch = [
      id: number,
      confidence: number,
      seenAt: number,
      validUntil: number,
      tags: string[],
    ];
    type Row = [
      value: string,
      type: IndicatorType,
      listSeq: number,
      firstBatch: number,
      lastBatch: number,
      confidence: number | null,
      firstSeen: number | null,
      lastSeen: number | null,
      validUntil: number | null,
      tags: string[] | null,
    ];
    const read = await this.scoped.run(scope, async (tx) => {
      const params: unknown[] = [];
      const clauses = listClauses(r, params);
      const found: (FeedList & { anonymous: boolean; reveal: boolean })[] = await tx.query(
        `SELECT l.seq, l.tlp, l.owner_org_id AS owner, (extract(epoch FROM now()) * 1000)::float8 AS now,
                l.anonymous, l.reveal_to_coordinators AS reveal
           FROM indicator_list l WHERE ${clauses.join(' AND ')}`,
        params,
      );
      // Each list's times are shown as its author is (ADR 0017): rounded behind a pseudonym only.
      const ctx = await this.boundary.authorContext(
        tx,
        scope,
        found.map((l) => l.owner),
      );
      const lists: FeedList[] = found.map(({ anonymous, reveal, ...l }) => ({
        ...l,
        author: this.boundary.author(ctx, l.owner, anonymous, reveal),
      }));
      const seqs = lists.map((l) => l.seq);
      if (!seqs.length) return { lists, batches: [], rows: [] };
      const batches = await queryArrays<Batch>(
        tx,
        `SELECT id, confidence, (extract(epoch FROM seen_at) * 1000)::float8,
                (extract(epoch FROM valid_until) * 1000)::float8, tags
           FROM entry_batch WHERE list_seq = ANY($1)`,
        [seqs],
      );
      const rows = await queryArrays<Row>(
        tx,
        `SELECT value, type, list_seq, first_batch, last_batch, confidence,
                (extract(epoch FROM first_seen) * 1000)::float8, (extract(epoch FROM last_seen) * 1000)::float8,
                (extract(epoch FROM valid_until) * 1000)::float8, tags
           FROM list_entry WHERE list_seq = ANY($1) AND type = ANY($2)`,
        [seqs, FEED_KINDS[r.kind]],
      );
      return { lists, batches, rows };
    });
    if (!read.lists.length) return [];
    // The database's clock decides what has expired, as it does everywhere else.
    const now = read.lists[0].now;
    const listOf = new Map(read.lists.map((l) => [l.seq, l]));
    const batchOf = new Map(read.batches.map((b) => [b[0], b]));
    // The expiry is shown as the other times are (it is the sighting time plus a validity); the
    // cache still ends at the exact first expiry.
    const shown = (ms: number, list: FeedList) => this.boundary.time(list.author, new Date(ms));
    const merged = new Map<string, FeedEntry & { expiresAt: number }>();
    for (const [value, type, seq, fb, lb, conf, first, last, until, tags] of read.rows) {
      const due = slices.due();
      if (due) await due;
      const firstBatch = batchOf.get(fb);
      const lastBatch = batchOf.get(lb);
      if (!firstBatch || !lastBatch) continue;
      const expiresAt = until ?? lastBatch[3];
      const confidence = conf ?? lastBatch[1];
      if (expiresAt <= now || confidence < r.minConfidence) continue;
      const list = listOf.get(seq)!;
      const entry = {
        value,
        type,
        confidence,
        firstSeen: shown(first ?? firstBatch[2], list),
        lastSeen: shown(last ?? lastBatch[2], list),
        validUntil: shown(expiresAt, list),
        tags: tags ?? lastBatch[4],
        tlp: list.tlp as FeedEntry['tlp'],
        expiresAt,
      };
      const seen = merged.get(value);
      merged.set(
        value,
        seen
          ? { ...strongest(seen, entry), expiresAt: Math.min(seen.expiresAt, expiresAt) }
          : entry,
      );
    }
    const out: (FeedEntry & { expiresAt: number })[] = [];
    for (const entry of merged.values()) {
      const due = slices.due();
      if (due) await due;
      out.push(entry);
    }
    return out;
  }
}

interface FeedList {
  seq: number;
  tlp: string;
  owner: string;
  now: number;
  author: ReportAuthor;
}

/**
 * Pieces into a body, which hashes them as they come (hundreds of megabytes for CSV, JSON or
 * STIX): a turn of the event loop whenever a slice is used up.
 */
async function addPieces(
  body: FeedBody,
  pieces: Buffer[],
  slices: TimeSlices,
  each?: (piece: Buffer) => void,
): Promise<void> {
  for (const piece of pieces) {
    each?.(piece);
    body.add(piece);
    const due = slices.pauseIfLong();
    if (due) await due;
  }
}

/** Bytes of the database's stream passed over between two looks at the clock (~5,000 lines). */
const STREAM_STEP = 64 * 1024;

/** One `COPY` of a streamed feed: the kinds it reads, in which order, passed over how. */
interface Segment {
  text: AddressText | ValueText | EntryLines | StixLines;
  kinds: readonly string[];
  /** The feed's order, as expressions over `e` (list_entry). */
  order: string[];
  /** Called before the segment's first row. */
  start?: () => void;
}

interface StreamList {
  seq: number;
  tlp: Tlp;
  owner: string;
  anonymous: boolean;
  reveal: boolean;
}

/** An instant as `iso` writes it (milliseconds cut off, years 0001–9999), from a timestamptz. */
function isoSql(column: string): string {
  return `to_char(greatest(least(${column}, '9999-12-31T23:59:59.999Z'::timestamptz),
    '0001-01-01T00:00:00Z'::timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** `csvCell` in SQL: a leading formula character (FORMULA_START) gets a ', then RFC 4180 quoting. */
function csvCellSql(text: string): string {
  // A standard string: PostgreSQL's regular expressions read \t, \r and \- as JavaScript's do.
  const safe = `(CASE WHEN ${text} ~ '^[${FORMULA_START}]' THEN '''' || ${text} ELSE ${text} END)`;
  return `(CASE WHEN ${safe} ~ '[",\\r\\n]' THEN '"' || replace(${safe}, '"', '""') || '"' ELSE ${safe} END)`;
}

interface RenderedBody {
  body: FeedBody;
  count: number;
  omitted: number;
  /** When the first served entry expires (ms since epoch). */
  nextExpiry: number;
}

/**
 * The live entries (`e`, with their first batch `fb` and last batch `b`) of the given lists that a request selects,
 * as `entries` keeps them: both batches readable, not expired by the database's clock, at least
 * the requested confidence. Lists are sequence numbers the database gave and kinds are fixed
 * names, so the statement can be inlined (COPY takes no parameters). Times are compared as
 * timestamps: `entries` compares them as float8 milliseconds, which keep every microsecond
 * apart and in order, so the two agree.
 */
function liveEntries(lists: number[], kinds: readonly string[], r: FeedRequest): string {
  const seqs = lists.map((seq) => String(Math.trunc(Number(seq)))).join(',');
  const types = kinds.map((t) => `'${t}'`).join(',');
  return `FROM list_entry e JOIN entry_batch b ON b.id = e.last_batch AND b.list_seq IN (${seqs})
       JOIN entry_batch fb ON fb.id = e.first_batch AND fb.list_seq IN (${seqs})
     WHERE e.list_seq IN (${seqs}) AND e.type IN (${types})
       AND coalesce(e.valid_until, b.valid_until) > now()
       AND coalesce(e.confidence, b.confidence) >= ${Math.trunc(Number(r.minConfidence))}`;
}

interface FeedInputs {
  fingerprint: string;
  allow: AllowList;
}

/** The lists a feed request selects (`l`), beyond what row-level security lets the caller see. */
function listClauses(r: FeedRequest, params: unknown[]): string[] {
  // Every feed selects its lists here: never RED, never a drill's (ADR 0022).
  const clauses = [`l.status = 'published'`, `l.tlp <> 'RED'`, `l.exercise IS NULL`];
  if (r.lists.length) {
    params.push(r.lists);
    clauses.push(`l.id = ANY($${params.length}::uuid[])`);
  }
  if (r.sectors.length) {
    params.push(r.sectors);
    clauses.push(`l.sectors && $${params.length}::text[]`);
  }
  return clauses;
}

/** Feeds merge many lists: the hub itself is their author, never an organisation. */
const HUB_AUTHOR = {
  key: 'renkei-hub',
  name: 'renkei hub',
  identityClass: 'unknown' as const,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  modifiedAt: new Date('2026-01-01T00:00:00Z'),
};

async function stixInput(
  entries: FeedEntry[],
  generatedAt: Date,
  hubNamespace: string,
  slices: TimeSlices,
): Promise<IndicatorBundleInput> {
  // Each indicator carries the marking it is seen under; the bundle default is the strictest.
  let tlp: FeedEntry['tlp'] = 'CLEAR';
  const inputs: IndicatorBundleInput['entries'][number][] = [];
  for (const e of entries) {
    const due = slices.due();
    if (due) await due;
    tlp = mostRestrictive(tlp, e.tlp);
    inputs.push({ ...e, createdAt: e.firstSeen, modifiedAt: e.lastSeen, note: null });
  }
  return {
    namespace: blocklistNamespace(hubNamespace),
    generatedAt,
    author: HUB_AUTHOR,
    tlp,
    entries: inputs,
  };
}

/**
 * Pulls counted per token per hour in memory and written once a minute (and at shutdown): a
 * firewall pulling every minute costs one row an hour, not a write per request. The token's
 * last-used time and address are kept by the token authentication itself.
 */
@Injectable()
export class FeedPullRecorder implements OnModuleDestroy {
  private readonly log = new Logger('FeedPullRecorder');
  private counts = new Map<
    string,
    {
      tokenId: string;
      hour: Date;
      requests: number;
      notModified: number;
      bytes: number;
      address: string | null;
      path: string;
      at: number;
    }
  >();
  private readonly timer = setInterval(() => void this.flush(), 60_000).unref();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  record(
    tokenId: string,
    status: number,
    bytes: number,
    address: string | null,
    path: string,
  ): void {
    const now = Date.now();
    const hour = Math.floor(now / 3_600_000) * 3_600_000;
    const key = `${tokenId}|${hour}`;
    let c = this.counts.get(key);
    if (!c) {
      c = {
        tokenId,
        hour: new Date(hour),
        requests: 0,
        notModified: 0,
        bytes: 0,
        address,
        path,
        at: now,
      };
      this.counts.set(key, c);
    }
    c.requests++;
    if (status === 304) c.notModified++;
    c.bytes += bytes;
    c.address = address;
    c.path = path;
    c.at = now;
  }

  async flush(): Promise<void> {
    if (!this.counts.size) return;
    const batch = [...this.counts.values()];
    this.counts = new Map();
    try {
      await this.db.query(
        `INSERT INTO feed_pull (token_id, hour, requests, not_modified, bytes, last_address, last_path, last_at)
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[], $5::bigint[], $6::inet[], $7::text[], $8::timestamptz[])
         ON CONFLICT (token_id, hour) DO UPDATE SET
           requests = feed_pull.requests + excluded.requests,
           not_modified = feed_pull.not_modified + excluded.not_modified,
           bytes = feed_pull.bytes + excluded.bytes,
           last_address = excluded.last_address, last_path = excluded.last_path, last_at = excluded.last_at`,
        [
          batch.map((c) => c.tokenId),
          batch.map((c) => c.hour),
          batch.map((c) => c.requests),
          batch.map((c) => c.notModified),
          batch.map((c) => c.bytes),
          batch.map((c) => c.address),
          batch.map((c) => c.path),
          batch.map((c) => new Date(c.at)),
        ],
      );
    } catch (e) {
      // A token deleted meanwhile, or the database briefly away: the counts are statistics.
      this.log.warn(`could not record feed pulls: ${(e as Error).message}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
