import type { ListEvent, ReportEvent } from '../push.models';

export type Language = 'ja' | 'en';
type Marking = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER_STRICT' | 'RED';

/** Most restrictive last: a digest is labelled with the highest marking it mentions. */
const RANK: Marking[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'];

/** TLP 2.0's label as it is written in messages: `TLP:AMBER+STRICT`. */
export function tlpLabel(tlp: string): string {
  return `TLP:${tlp.replace('_', '+')}`;
}

/**
 * Whether a marking lets an item's content into a message that leaves the hub (e-mail, chat).
 * AMBER+STRICT and RED do not: a mailbox or a chat channel is read by whoever the recipient's
 * organisation lets read it, which those markings do not allow; the message carries a link.
 */
export function contentMayLeave(tlp: string): boolean {
  return tlp !== 'AMBER_STRICT' && tlp !== 'RED';
}

const TEXT = {
  ja: {
    'report.published': '報告が公開されました',
    'report.updated': '報告が更新されました',
    'report.retracted': '報告が取り下げられました',
    'report.comment_added': '報告にコメントがありました',
    'report.sighting_added': '報告に「当方でも確認」がありました',
    'list.created': '指標リストが作成されました',
    'list.updated': '指標リストが更新されました',
    'list.retracted': '指標リストが取り下げられました',
    'list.expired': '指標リストの期限が切れました',
    'list.entries_added': '指標リストに指標が追加されました',
    'list.entries_removed': '指標リストから指標が削除されました',
    other: 'お知らせ',
    withheld: 'このマーキングの内容はメールやチャットでは送られません。ハブでお読みください:',
    read: 'ハブで読む:',
    title: '件名',
    author: '投稿者',
    kind: '種別',
    categories: 'カテゴリ',
    summary: '概要',
    comment: 'コメント',
    sighting: '確認',
    added: '追加された指標',
    removed: '削除された指標',
    at: '日時',
    digest: { daily: 'renkei 日次ダイジェスト', weekly: 'renkei 週次ダイジェスト' },
    items: '件',
    exercise: '訓練',
  },
  en: {
    'report.published': 'A report was published',
    'report.updated': 'A report was updated',
    'report.retracted': 'A report was retracted',
    'report.comment_added': 'A report was commented on',
    'report.sighting_added': 'A report was sighted ("we saw this too")',
    'list.created': 'An indicator list was created',
    'list.updated': 'An indicator list was updated',
    'list.retracted': 'An indicator list was retracted',
    'list.expired': 'An indicator list expired',
    'list.entries_added': 'Indicators were added to a list',
    'list.entries_removed': 'Indicators were removed from a list',
    other: 'Notice',
    withheld: 'Items with this marking are not sent by e-mail or chat. Read it on the hub:',
    read: 'Read it on the hub:',
    title: 'Title',
    author: 'Author',
    kind: 'Kind',
    categories: 'Categories',
    summary: 'Summary',
    comment: 'Comment',
    sighting: 'Sighting',
    added: 'Indicators added',
    removed: 'Indicators removed',
    at: 'When',
    digest: { daily: 'renkei daily digest', weekly: 'renkei weekly digest' },
    items: 'items',
    exercise: 'EXERCISE',
  },
} as const;

/** Report kinds as the reader's language names them (the hub stores `near_miss`). */
const REPORT_KIND: Record<Language, Record<string, string>> = {
  ja: { incident: 'インシデント', near_miss: 'ヒヤリハット', advisory: '注意喚起' },
  en: { incident: 'Incident', near_miss: 'Near miss', advisory: 'Advisory' },
};

/**
 * An instant as the recipient reads it: in the hub's alert time zone (ALERT_TIME_ZONE, the
 * calendar digests use) with the zone named, not as UTC in ISO form. Japanese readers get the
 * usual "2026/12/05 19:00 JST"; English has no short name for most zones (Tokyo would be
 * "GMT+9") and day/month order differs by country, so English gets the unambiguous date and the
 * zone's own name: "2026-12-05 19:00 Asia/Tokyo".
 */
export function localTime(at: Date | string, lang: Language, timeZone: string): string {
  // A formatter loads locale and zone data when built: one per language and zone, not per line
  // of every digest.
  const key = `${lang}|${timeZone}`;
  let format = FORMATS.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(lang === 'ja' ? { timeZoneName: 'short' } : {}),
    });
    FORMATS.set(key, format);
  }
  if (lang === 'ja') return format.format(new Date(at));
  const part = Object.fromEntries(
    format.formatToParts(new Date(at)).map((p) => [p.type, p.value]),
  ) as Record<Intl.DateTimeFormatPartTypes, string>;
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute} ${timeZone}`;
}

const FORMATS = new Map<string, Intl.DateTimeFormat>();

/** Values listed in one message at most; the rest are counted (the list is on the hub). */
const MAX_VALUES = 50;

/**
 * One item as every message that leaves the hub presents it: its TLP label, a headline, and
 * either its content (lines) or nothing but the link. E-mail and chat bodies are built from
 * this only, so the TLP rule for what may leave is here and nowhere else. The views are the
 * reader's own (push's reportFor/listFor): pseudonymous author, scrubbed text, rounded times.
 */
export interface AlertItem {
  tlp: string;
  label: string;
  headline: string;
  /** The report title or list name; absent when the marking keeps content on the hub. */
  name?: string;
  /** `Field: value` lines of content; empty when the marking keeps it on the hub. */
  lines: string[];
  link: string;
  /** Why there is no content, in the reader's language, when there is none. */
  withheld?: string;
  /** Part of a drill; the headline already says so, this lets a digest say it of all its items. */
  exercise?: boolean;
}

export function alertItem(
  v: ReportEvent | ListEvent,
  lang: Language,
  hubUrl: string,
  timeZone: string,
): AlertItem {
  const t = TEXT[lang];
  const tlp = 'report' in v ? v.report.tlp : v.list.tlp;
  const link =
    'report' in v
      ? `${hubUrl}/reports/${encodeURIComponent(v.report.id)}`
      : `${hubUrl}/lists/${encodeURIComponent(v.list.id)}`;
  const kind = (TEXT[lang] as Record<string, unknown>)[v.kind] as string | undefined;
  const may = contentMayLeave(tlp);
  // A drill's item reads like an incident unless it says otherwise, as the console's banner does;
  // the headline opens the subject, the body and both chat cards, so the marking goes there once.
  const drill = exerciseMark('report' in v ? v.report : v.list, lang, may);
  const headline = drill ? `${drill} ${kind ?? t.other}` : (kind ?? t.other);
  const base = { tlp, label: tlpLabel(tlp), headline, link, exercise: !!drill };
  if (!may) return { ...base, lines: [], withheld: t.withheld };
  const at = `${t.at}: ${localTime(v.at, lang, timeZone)}`;
  if ('report' in v) {
    const r = v.report;
    const lines = [
      `${t.title}: ${r.title}`,
      `${t.kind}: ${REPORT_KIND[lang][r.kind] ?? r.kind}`,
      `${t.author}: ${r.author.label}`,
      at,
    ];
    if (r.categories.length) lines.push(`${t.categories}: ${r.categories.join(', ')}`);
    if (r.summary) lines.push(`${t.summary}: ${r.summary}`);
    if (v.comment) lines.push(`${t.comment} (${v.comment.author.label}): ${v.comment.body}`);
    if (v.sighting) {
      lines.push(`${t.sighting} (${v.sighting.author.label}): ${v.sighting.note ?? ''}`.trim());
    }
    return { ...base, name: r.title, lines };
  }
  const l = v.list;
  const lines = [`${t.title}: ${l.name}`, `${t.author}: ${l.author.label}`, at];
  for (const [label, values] of [
    [t.added, v.added],
    [t.removed, v.removed],
  ] as const) {
    if (!values.length) continue;
    const more = values.length > MAX_VALUES ? ` (+${values.length - MAX_VALUES})` : '';
    lines.push(`${label} (${values.length}): ${values.slice(0, MAX_VALUES).join(', ')}${more}`);
  }
  return { ...base, name: l.name, lines };
}

/**
 * `[EXERCISE: name]` for a drill's item, or nothing. The drill's name is author text, so it is
 * left out where the marking keeps content on the hub; the fact that it is a drill is not.
 */
function exerciseMark(
  x: { exercise?: boolean; exerciseName?: string | null },
  lang: Language,
  withName: boolean,
): string | undefined {
  if (!x.exercise) return undefined;
  const name = withName && x.exerciseName ? `: ${x.exerciseName}` : '';
  return `[${TEXT[lang].exercise}${name}]`;
}

export interface Mail {
  subject: string;
  text: string;
}

/** The highest marking among items: what a message holding all of them is labelled. */
export function highestMarking(tlps: string[]): string {
  return tlps.reduce(
    (hi, x) => (RANK.indexOf(x as Marking) > RANK.indexOf(hi as Marking) ? x : hi),
    'CLEAR',
  );
}

function itemText(i: AlertItem, lang: Language): string {
  const out = [i.label, i.headline];
  if (i.withheld) out.push(`${i.withheld} ${i.link}`);
  else out.push(...i.lines, `${TEXT[lang].read} ${i.link}`);
  return out.join('\n');
}

/**
 * One alert by e-mail, as FIRST's TLP 2.0 asks: the label in the subject and as the first line
 * of the body.
 */
export function immediateMail(i: AlertItem, lang: Language): Mail {
  const subject = `[${i.label}] renkei: ${i.headline}${i.name ? `: ${i.name}` : ''}`;
  return { subject: oneLine(subject), text: itemText(i, lang) };
}

/**
 * A digest: labelled with the highest marking it holds (subject and first line), then each item
 * with its own label, so a reader forwarding one item knows its marking.
 */
export function digestMail(
  items: AlertItem[],
  lang: Language,
  delivery: 'daily' | 'weekly',
  period: string,
): Mail {
  const label = tlpLabel(highestMarking(items.map((i) => i.tlp)));
  // Each item's headline marks a drill; a digest of drills only says so in its subject too.
  const drill = items.length && items.every((i) => i.exercise) ? `[${TEXT[lang].exercise}] ` : '';
  const title = `${drill}${TEXT[lang].digest[delivery]} ${period.replace(/^\w+:/, '')} (${items.length} ${TEXT[lang].items})`;
  return {
    subject: oneLine(`[${label}] ${title}`),
    text: [label, title, ...items.map((i) => `\n---\n${itemText(i, lang)}`)].join('\n'),
  };
}

/** Header injection is nodemailer's to prevent; a subject is still kept to one short line. */
function oneLine(s: string): string {
  const flat = s.replace(/[\r\n\t]+/g, ' ');
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
