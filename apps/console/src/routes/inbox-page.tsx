import {
  Anchor,
  Badge,
  Button,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { formatTime, TLPS, useNames } from '../api/labels';
import { ErrorAlert } from '../components/error-alert';
import { ExerciseBadge } from '../components/exercise-banner';
import { TlpLabel } from '../components/tlp-banner';
import { graphql } from '../gql';
import type { InboxReportsFragment, ReportFilter, ReportKind, Tlp } from '../gql/graphql';
import { useHub } from '../api/use-hub';

const INBOX = graphql(`
  query Inbox(
    $first: Int!
    $filter: ReportFilter
    $lists: Boolean!
    $listFilter: IndicatorListFilter
  ) {
    reports(first: $first, filter: $filter) {
      ...InboxReports
    }
    unreadReportCount
    unreadReportCountCapped
    indicatorLists(first: 50, filter: $listFilter) @include(if: $lists) {
      edges {
        node {
          id
          name
          tlp
          status
          createdAt
          sectors
          liveEntries
          exercise
          author {
            label
          }
        }
      }
    }
  }
`);
// Apart from the first page: its answer walks every visible report, and nobody needs a filter's
// choices before the inbox is on screen (ADR 0028).
const FILTER_OPTIONS = graphql(`
  query InboxFilterOptions {
    reportFilterOptions {
      categories
      sectors
    }
  }
`);

graphql(`
  fragment InboxReports on ReportConnection {
    totalCount
    totalCountCapped
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        title
        kind
        tlp
        status
        publishedAt
        createdAt
        exercise
        unread
        author {
          label
        }
      }
    }
  }
`);
const MORE_REPORTS = graphql(`
  query InboxMore($after: String!, $filter: ReportFilter) {
    reports(first: 50, after: $after, filter: $filter) {
      ...InboxReports
    }
  }
`);

const MARK_ALL_READ = graphql(`
  mutation InboxMarkAllRead {
    markAllReportsRead
  }
`);
const SAVE_AS_ALERT = graphql(`
  mutation InboxSaveAsAlert($input: AlertRuleInput!) {
    createAlertRule(input: $input) {
      id
    }
  }
`);

const REPORT_EVENTS = graphql(`
  subscription InboxReportEvents {
    reportEvents {
      cursor
      kind
    }
  }
`);
const LIST_EVENTS = graphql(`
  subscription InboxListEvents {
    listEvents {
      cursor
      kind
    }
  }
`);

type Row = {
  key: string;
  id: string;
  title: string;
  kind: ReportKind | 'LIST';
  tlp: Tlp;
  status: string;
  from: string;
  at: string;
  entries?: number;
  exercise: boolean;
  unread?: boolean;
};

const PAGE = 50;

type ReportNode = InboxReportsFragment['edges'][number]['node'];

/** An empty cursor marks the last page fetched. */
const moreLeft = (m: { cursor: string | null }) => m.cursor !== '';

/** A date input's day as the start (or end) of that day in the reader's zone. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!day) return undefined;
  const d = new Date(`${day}T00:00:00`);
  if (end) d.setDate(d.getDate() + 1);
  return d.toISOString();
}

export function InboxPage() {
  const { t, i18n } = useTranslation();
  const names = useNames();
  const [text, setText] = useState('');
  const [search] = useDebouncedValue(text.trim(), 300);
  const [kind, setKind] = useState<string | null>(null);
  const [tlp, setTlp] = useState<string | null>(null);
  const [sector, setSector] = useState<string | null>(null);
  const [category, setCategory] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const hub = useHub();
  // Pages after the first, fetched on request; the first page alone follows live events.
  const [more, setMore] = useState<{ key: string; nodes: ReportNode[]; cursor: string | null }>({
    key: '',
    nodes: [],
    cursor: null,
  });
  const [moreError, setMoreError] = useState<unknown>(null);
  const [alertError, setAlertError] = useState<unknown>(null);
  const [alertSaved, setAlertSaved] = useState(false);

  const filter: ReportFilter = {
    text: search || undefined,
    kind: kind && kind !== 'LIST' ? (kind as ReportKind) : undefined,
    tlp: (tlp as Tlp | null) ?? undefined,
    sector: sector ?? undefined,
    category: category ?? undefined,
    publishedAfter: dayBound(from, false),
    publishedBefore: dayBound(to, true),
  };
  // Lists have no kind, category or publication date: with those filters only reports match.
  const lists = (!kind || kind === 'LIST') && !category;
  const [{ data, error, fetching }, refetch] = useQuery({
    query: INBOX,
    variables: { first: PAGE, filter, lists, listFilter: { text: search || undefined } },
  });
  const [{ data: options }] = useQuery({ query: FILTER_OPTIONS, pause: !data });
  const filterKey = JSON.stringify(filter);
  const extra = more.key === filterKey ? more : { key: filterKey, nodes: [], cursor: null };
  const cursor = extra.cursor ?? data?.reports.pageInfo.endCursor ?? null;
  const hasMore = extra.cursor !== null ? moreLeft(extra) : !!data?.reports.pageInfo.hasNextPage;
  const shown = (data?.reports.edges.length ?? 0) + extra.nodes.length;
  async function showMore() {
    if (!cursor) return;
    setMoreError(null);
    try {
      const page = (await hub.query(MORE_REPORTS, { after: cursor, filter })).reports;
      setMore({
        key: filterKey,
        nodes: [...extra.nodes, ...page.edges.map((e) => e.node)],
        cursor: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : '',
      });
    } catch (e) {
      setMoreError(e);
    }
  }

  // Live: any event the hub lets through to this reader refreshes the first page, so new items
  // appear in order and under the same filters, as the hub decides them, not the browser. The
  // reducers only collect cursors (pure, so React may run them twice); an effect refetches.
  const collect = (seen: string[] = [], cursor: string) =>
    seen.includes(cursor) ? seen : [...seen, cursor];
  const [reportEvents] = useSubscription(
    { query: REPORT_EVENTS },
    (seen: string[] | undefined, e) => collect(seen, e.reportEvents.cursor),
  );
  const [listEvents] = useSubscription({ query: LIST_EVENTS }, (seen: string[] | undefined, e) =>
    collect(seen, e.listEvents.cursor),
  );
  const fresh = (reportEvents.data?.length ?? 0) + (listEvents.data?.length ?? 0);
  useEffect(() => {
    if (fresh > 0) refetch({ requestPolicy: 'network-only' });
  }, [fresh, refetch]);

  const rows: Row[] = useMemo(() => {
    const out: Row[] = [];
    if (kind !== 'LIST') {
      const seen = new Set<string>();
      for (const r of [...(data?.reports.edges ?? []).map((e) => e.node), ...extra.nodes]) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        out.push({
          key: `r${r.id}`,
          id: r.id,
          title: r.title,
          kind: r.kind,
          tlp: r.tlp,
          status: r.status,
          from: r.author.label,
          at: r.publishedAt ?? r.createdAt,
          exercise: r.exercise,
          unread: !!r.unread,
        });
      }
    }
    const after = dayBound(from, false);
    const before = dayBound(to, true);
    for (const { node: l } of data?.indicatorLists?.edges ?? []) {
      if (tlp && l.tlp !== tlp) continue;
      if (sector && !l.sectors.includes(sector)) continue;
      if ((after && l.createdAt < after) || (before && l.createdAt >= before)) continue;
      out.push({
        key: `l${l.id}`,
        id: l.id,
        title: l.name,
        kind: 'LIST',
        tlp: l.tlp,
        status: l.status,
        from: l.author.label,
        at: l.createdAt,
        entries: l.liveEntries,
        exercise: l.exercise,
      });
    }
    return out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  }, [data, extra.nodes, kind, tlp, sector, from, to]);

  async function markAllRead() {
    setAlertError(null);
    try {
      await hub.mutate(MARK_ALL_READ, {});
      refetch({ requestPolicy: 'network-only' });
    } catch (e) {
      setAlertError(e);
    }
  }

  // The inbox's kind, TLP, sector and category as an immediate alert rule ("saved filters").
  async function saveAsAlert() {
    setAlertError(null);
    setAlertSaved(false);
    const one = <T,>(v: string | null) => (v ? [v as T] : undefined);
    try {
      await hub.mutate(SAVE_AS_ALERT, {
        input:
          kind === 'LIST'
            ? {
                topic: 'LISTS' as never,
                delivery: 'IMMEDIATE' as never,
                listFilter: { markings: one<Tlp>(tlp), sectors: one<string>(sector) },
              }
            : {
                topic: 'REPORTS' as never,
                delivery: 'IMMEDIATE' as never,
                reportFilter: {
                  kinds: one<ReportKind>(kind),
                  markings: one<Tlp>(tlp),
                  sectors: one<string>(sector),
                  categories: one<string>(category),
                },
              },
      });
      setAlertSaved(true);
    } catch (e) {
      setAlertError(e);
    }
  }

  const unreadCount = data?.unreadReportCount ?? 0;
  // Counts stop at the hub's cap (ADR 0036): "1,000+" says there are more than that.
  const number = (n: number) => n.toLocaleString(i18n.language);
  const any = t('inbox.any');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('inbox.title')}
        </Title>
        <Text size="sm" c="dimmed" role="status" aria-live="polite" id="live-status">
          {fresh > 0 ? t('inbox.newItems', { count: fresh }) : t('inbox.live')}
        </Text>
      </Group>
      <Group
        align="end"
        gap="sm"
        wrap="wrap"
        component="form"
        role="search"
        onSubmit={(e) => e.preventDefault()}
      >
        <TextInput
          label={t('inbox.search')}
          placeholder={t('inbox.searchPlaceholder')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          w={240}
        />
        <Select
          label={t('inbox.kind')}
          placeholder={any}
          clearable
          value={kind}
          onChange={setKind}
          data={(['INCIDENT', 'NEAR_MISS', 'ADVISORY', 'LIST'] as const).map((k) => ({
            value: k,
            label: t(`kind.${k}`),
          }))}
          w={160}
        />
        <Select
          label={t('inbox.tlp')}
          placeholder={any}
          clearable
          value={tlp}
          onChange={setTlp}
          data={TLPS.map((x) => ({ value: x, label: `TLP:${x.replace('_', '+')}` }))}
          w={170}
        />
        <Select
          label={t('inbox.sector')}
          placeholder={any}
          clearable
          searchable
          value={sector}
          onChange={setSector}
          data={(options?.reportFilterOptions.sectors ?? []).map((s) => ({
            value: s,
            label: names.sector(s),
          }))}
          w={180}
        />
        <Select
          label={t('inbox.category')}
          placeholder={any}
          clearable
          searchable
          value={category}
          onChange={setCategory}
          data={(options?.reportFilterOptions.categories ?? []).map((c) => ({
            value: c,
            label: names.category(c),
          }))}
          w={200}
        />
        <TextInput
          type="date"
          label={t('inbox.from')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('inbox.to')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
      </Group>
      <Group gap="sm" mih={30}>
        {data && (
          <Text size="sm" fw={unreadCount ? 700 : undefined} id="unread-count">
            {!unreadCount
              ? t('alerts.unread.none')
              : data?.unreadReportCountCapped
                ? t('alerts.unread.countCapped', { cap: number(unreadCount) })
                : t('alerts.unread.count', { count: unreadCount })}
          </Text>
        )}
        {unreadCount > 0 && (
          <Button size="xs" variant="default" onClick={() => void markAllRead()}>
            {t('alerts.unread.markAll')}
          </Button>
        )}
        {(kind || tlp || sector || category) && (
          <Button
            size="xs"
            variant="light"
            title={t('alerts.unread.saveAsAlertHint')}
            onClick={() => void saveAsAlert()}
          >
            {t('alerts.unread.saveAsAlert')}
          </Button>
        )}
        {alertSaved && (
          <Text size="sm" role="status">
            <Anchor component={Link} to="/alerts">
              {t('alerts.unread.savedAsAlert')}
            </Anchor>
          </Text>
        )}
      </Group>
      <ErrorAlert error={alertError} />
      <ErrorAlert error={error} />
      <Table
        striped
        highlightOnHover
        verticalSpacing={4}
        id="inbox-table"
        aria-label={t('inbox.title')}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('inbox.colTitle')}</Table.Th>
            <Table.Th>{t('inbox.colKind')}</Table.Th>
            <Table.Th>{t('inbox.colTlp')}</Table.Th>
            <Table.Th>{t('inbox.colFrom')}</Table.Th>
            <Table.Th>{t('inbox.colWhen')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key} data-item={r.key}>
              <Table.Td>
                {r.kind === 'LIST' ? (
                  <Text size="sm">
                    <Anchor component={Link} to={`/lists/${r.id}`} size="sm">
                      {r.title}
                    </Anchor>{' '}
                    <Text span size="xs" c="dimmed">
                      ({t('inbox.entries', { count: r.entries })})
                    </Text>
                  </Text>
                ) : (
                  <Anchor
                    component={Link}
                    to={`/reports/${r.id}`}
                    size="sm"
                    fw={r.unread ? 700 : undefined}
                  >
                    {r.title}
                  </Anchor>
                )}
                {r.exercise && (
                  <>
                    {' '}
                    <ExerciseBadge />
                  </>
                )}
                {r.unread && (
                  <Badge ml="xs" size="xs" color="blue" variant="filled" data-unread>
                    {t('alerts.unread.badge')}
                  </Badge>
                )}
                {r.status !== 'PUBLISHED' && (
                  <Badge ml="xs" size="xs" color="gray" variant="outline">
                    {t(`status.${r.status as 'DRAFT' | 'RETRACTED'}`)}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{t(`kind.${r.kind}`)}</Text>
              </Table.Td>
              <Table.Td>
                <TlpLabel tlp={r.tlp} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{r.from}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatTime(r.at, i18n.language)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ErrorAlert error={moreError} />
      {!fetching && rows.length === 0 && <Text c="dimmed">{t('inbox.empty')}</Text>}
      {data && kind !== 'LIST' && (
        <Group>
          <Text size="sm" c="dimmed">
            {data.reports.totalCountCapped
              ? t('inbox.countCapped', {
                  shown: number(shown),
                  // Pages shown past the cap are at least as many as the count says.
                  cap: number(Math.max(shown, data.reports.totalCount)),
                })
              : t('inbox.count', { shown, total: data.reports.totalCount })}
          </Text>
          {hasMore && (
            <Button variant="default" size="xs" onClick={() => void showMore()}>
              {t('inbox.more')}
            </Button>
          )}
        </Group>
      )}
    </Stack>
  );
}
