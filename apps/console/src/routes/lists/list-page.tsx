import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { formatTime, useNames } from '../../api/labels';
import { useHub } from '../../api/use-hub';
import { ErrorAlert } from '../../components/error-alert';
import { TLP_LABEL, TlpBanner, TlpLabel } from '../../components/tlp-banner';
import { graphql } from '../../gql';
import type { IndicatorType, ListEntryPageFragment } from '../../gql/graphql';
import { ADD_ENTRIES, EntryImport } from './entry-import';

graphql(`
  fragment ListEntryPage on ListEntryConnection {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        value
        type
        confidence
        lastSeen
        validUntil
        expired
      }
    }
  }
`);
const LIST = graphql(`
  query ListView($id: ID!, $first: Int!, $filter: ListEntryFilter) {
    indicatorList(id: $id) {
      id
      name
      description
      tlp
      status
      revision
      createdAt
      retractionReason
      exercise
      exerciseName
      liveEntries
      reportId
      sectors
      author {
        label
        own
      }
      entries(first: $first, filter: $filter) {
        ...ListEntryPage
      }
    }
  }
`);
const MORE_ENTRIES = graphql(`
  query ListMoreEntries($id: ID!, $after: String!, $filter: ListEntryFilter) {
    indicatorList(id: $id) {
      id
      entries(first: 100, after: $after, filter: $filter) {
        ...ListEntryPage
      }
    }
  }
`);
const SIGHTINGS = graphql(`
  query EntrySightings($value: String!) {
    indicator(value: $value) {
      value
      sightings {
        listId
        listName
        tlp
        confidence
        firstSeen
        lastSeen
        note
        author {
          label
        }
      }
    }
  }
`);
const OWN_LISTS = graphql(`
  query OwnOpenLists {
    indicatorLists(first: 100, filter: { ownOnly: true, status: PUBLISHED }) {
      edges {
        node {
          id
          name
          tlp
        }
      }
    }
  }
`);
const REMOVE = graphql(`
  mutation RemoveListEntries($id: ID!, $values: [String!]!) {
    removeListEntries(listId: $id, values: $values) {
      removed
      notFound
    }
  }
`);
const EXPIRE = graphql(`
  mutation ExpireIndicatorList($id: ID!) {
    expireIndicatorList(id: $id) {
      id
    }
  }
`);
const RETRACT = graphql(`
  mutation RetractIndicatorList($id: ID!, $reason: String!) {
    retractIndicatorList(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

const PAGE = 50;
const TYPES: IndicatorType[] = [
  'IPV4',
  'IPV4_CIDR',
  'IPV6',
  'IPV6_CIDR',
  'DOMAIN',
  'URL',
  'EMAIL',
  'MD5',
  'SHA1',
  'SHA256',
];
type Entry = ListEntryPageFragment['edges'][number]['node'];

/** One list: its marking, what it says, its entries with their sightings, the owner's actions. */
export function ListPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const names = useNames();
  const hub = useHub();
  const lang = i18n.language;
  const [text, setText] = useState('');
  const [search] = useDebouncedValue(text.trim(), 300);
  const [type, setType] = useState<string | null>(null);
  const [includeExpired, setIncludeExpired] = useState(false);
  const filter = {
    text: search || undefined,
    type: (type as IndicatorType | null) ?? undefined,
    includeExpired: includeExpired || undefined,
  };
  const filterKey = JSON.stringify(filter);
  const [{ data, error }, refetch] = useQuery({
    query: LIST,
    variables: { id, first: PAGE, filter },
  });
  const [more, setMore] = useState<{ key: string; nodes: Entry[]; cursor: string | null }>({
    key: '',
    nodes: [],
    cursor: null,
  });
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sightingsOf, setSightingsOf] = useState<string | null>(null);
  const [sawToo, setSawToo] = useState<string | null>(null);
  const [expiring, setExpiring] = useState(false);
  const [retracting, setRetracting] = useState(false);
  const [reason, setReason] = useState('');

  const reload = () => {
    setMore({ key: '', nodes: [], cursor: null });
    refetch({ requestPolicy: 'network-only' });
  };
  const act = (action: () => Promise<unknown>) => async (ev?: FormEvent) => {
    ev?.preventDefault();
    setBusy(true);
    setActionError(null);
    setNotice(null);
    try {
      await action();
      reload();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };

  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Text>{t('app.loading')}</Text>;
  const l = data.indicatorList;
  const owner = l.author.own;
  const open = l.status === 'PUBLISHED';
  const extra = more.key === filterKey ? more : { key: filterKey, nodes: [], cursor: null };
  const entries = [...l.entries.edges.map((e) => e.node), ...extra.nodes];
  const cursor = extra.cursor ?? l.entries.pageInfo.endCursor ?? null;
  const hasMore = extra.cursor !== null ? extra.cursor !== '' : l.entries.pageInfo.hasNextPage;
  async function showMore() {
    if (!cursor) return;
    setActionError(null);
    try {
      const page = (await hub.query(MORE_ENTRIES, { id, after: cursor, filter })).indicatorList
        .entries;
      setMore({
        key: filterKey,
        nodes: [...extra.nodes, ...page.edges.map((e) => e.node)],
        cursor: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : '',
      });
    } catch (e) {
      setActionError(e);
    }
  }

  return (
    <Stack maw={1100}>
      <TlpBanner tlp={l.tlp} />
      {l.exercise && (
        <Alert color="orange" role="note" id="exercise-banner">
          <Text size="sm" fw={700} c="dark.9">
            {t('lists.page.exercise', { name: l.exerciseName ?? '' })}
          </Text>
        </Alert>
      )}
      <div>
        <Title order={1} size="h2">
          {l.name}
        </Title>
        <Group gap="xs" mt={4}>
          <Badge variant="light">{t('kind.LIST')}</Badge>
          {!open && <Badge color="gray">{t(`lists.status.${l.status}`)}</Badge>}
          <Text size="sm" c="dimmed">
            {t('report.from')}: {l.author.label} · {formatTime(l.createdAt, lang)} ·{' '}
            {t('lists.page.revision', { revision: l.revision })} ·{' '}
            {t('lists.page.liveEntries', { count: l.liveEntries })}
          </Text>
        </Group>
        {l.sectors.length > 0 && (
          <Group gap="xs" mt={4}>
            {l.sectors.map((s) => (
              <Badge key={s} variant="outline" color="blue">
                {names.sector(s)}
              </Badge>
            ))}
          </Group>
        )}
      </div>
      {l.retractionReason && (
        <Alert color="gray" role="status">
          {t('lists.page.retracted', { reason: l.retractionReason })}
        </Alert>
      )}
      {l.description && <Text style={{ whiteSpace: 'pre-wrap' }}>{l.description}</Text>}
      {l.reportId && (
        <Anchor component={Link} to={`/reports/${l.reportId}`} size="sm" id="list-report">
          {t('lists.page.fromReport')}
        </Anchor>
      )}
      {owner && open && (
        <Group>
          <Button variant="default" onClick={() => setExpiring(true)}>
            {t('lists.page.expireAll')}
          </Button>
          <Button variant="outline" color="red.9" onClick={() => setRetracting(true)}>
            {t('lists.page.retract')}
          </Button>
        </Group>
      )}
      {notice && (
        <Alert color="green" role="status">
          {notice}
        </Alert>
      )}
      <ErrorAlert error={actionError} />
      {owner && open && <EntryImport listId={l.id} onAdded={reload} />}

      <section aria-labelledby="entries-title">
        <Title order={2} size="h4" id="entries-title" mb="xs">
          {t('lists.page.entries')}
        </Title>
        <Group
          align="end"
          gap="sm"
          component="form"
          role="search"
          onSubmit={(e) => e.preventDefault()}
          mb="xs"
        >
          <TextInput
            label={t('lists.page.search')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            w={240}
          />
          <Select
            label={t('lists.page.type')}
            placeholder={t('lists.page.anyType')}
            clearable
            value={type}
            onChange={setType}
            data={TYPES.map((x) => ({ value: x, label: x.replace('_', ' ') }))}
            w={170}
          />
          <Checkbox
            label={t('lists.page.includeExpired')}
            checked={includeExpired}
            onChange={(e) => setIncludeExpired(e.currentTarget.checked)}
            mb={8}
          />
        </Group>
        <Table striped highlightOnHover id="entry-table" aria-labelledby="entries-title">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('lists.page.colValue')}</Table.Th>
              <Table.Th>{t('lists.page.colType')}</Table.Th>
              <Table.Th>{t('lists.page.colConfidence')}</Table.Th>
              <Table.Th>{t('lists.page.colLastSeen')}</Table.Th>
              <Table.Th>{t('lists.page.colValidUntil')}</Table.Th>
              <Table.Th>{t('lists.page.colActions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((e) => (
              <Table.Tr key={e.value} data-value={e.value}>
                <Table.Td>
                  <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {e.value}
                  </Text>
                  {e.expired && (
                    <Badge size="xs" color="gray" variant="outline">
                      {t('lists.page.expired')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{e.type.replace('_', ' ')}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{e.confidence}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatTime(e.lastSeen, lang)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatTime(e.validUntil, lang)}</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button
                      size="compact-xs"
                      variant="default"
                      aria-label={t('lists.page.sightingsOf', { value: e.value })}
                      onClick={() => setSightingsOf(e.value)}
                    >
                      {t('lists.page.sightings')}
                    </Button>
                    {!owner && (
                      <Button
                        size="compact-xs"
                        variant="light"
                        aria-label={t('lists.page.sawTooOf', { value: e.value })}
                        onClick={() => setSawToo(e.value)}
                      >
                        {t('lists.page.sawToo')}
                      </Button>
                    )}
                    {owner && open && (
                      <Button
                        size="compact-xs"
                        variant="outline"
                        color="red.9"
                        aria-label={t('lists.page.removeOf', { value: e.value })}
                        loading={busy}
                        onClick={() =>
                          void act(async () => {
                            const r = await hub.mutate(REMOVE, { id: l.id, values: [e.value] });
                            setNotice(
                              t('lists.page.removed', { count: r.removeListEntries.removed }),
                            );
                          })()
                        }
                      >
                        {t('lists.page.remove')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {entries.length === 0 && <Text c="dimmed">{t('lists.page.noEntries')}</Text>}
        <Group mt="xs">
          <Text size="sm" c="dimmed" id="entry-count">
            {t('lists.page.count', { shown: entries.length, total: l.entries.totalCount })}
          </Text>
          {hasMore && (
            <Button variant="default" size="xs" onClick={() => void showMore()}>
              {t('lists.page.more')}
            </Button>
          )}
        </Group>
      </section>

      <SightingsModal value={sightingsOf} onClose={() => setSightingsOf(null)} />
      <SawTooModal
        value={sawToo}
        onClose={() => setSawToo(null)}
        onDone={(message) => {
          setSawToo(null);
          setNotice(message);
        }}
      />
      <Confirm
        opened={expiring}
        onClose={() => setExpiring(false)}
        title={t('lists.page.expireTitle', { name: l.name })}
        onSubmit={act(async () => {
          await hub.mutate(EXPIRE, { id: l.id });
          setExpiring(false);
        })}
        confirm={t('lists.page.expireConfirm')}
        busy={busy}
        error={actionError}
      >
        <Text size="sm">{t('lists.page.expireText')}</Text>
      </Confirm>
      <Confirm
        opened={retracting}
        onClose={() => setRetracting(false)}
        title={t('lists.page.retractTitle', { name: l.name })}
        onSubmit={act(async () => {
          await hub.mutate(RETRACT, { id: l.id, reason });
          setRetracting(false);
          setReason('');
        })}
        confirm={t('lists.page.retractConfirm')}
        busy={busy}
        error={actionError}
      >
        <Text size="sm">{t('lists.page.retractText')}</Text>
        <Textarea
          label={t('lists.page.retractReason')}
          required
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          data-autofocus
        />
      </Confirm>
    </Stack>
  );
}

function Confirm({
  opened,
  onClose,
  title,
  onSubmit,
  confirm,
  busy,
  error,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  onSubmit: (e: FormEvent) => void;
  confirm: string;
  busy: boolean;
  error: unknown;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      centered
      closeButtonProps={{ 'aria-label': t('lists.page.cancel') }}
    >
      <form onSubmit={onSubmit}>
        <Stack>
          {children}
          <Group>
            <Button type="submit" color="red.9" loading={busy}>
              {confirm}
            </Button>
            <Button variant="default" onClick={onClose}>
              {t('lists.page.cancel')}
            </Button>
          </Group>
          <ErrorAlert error={error} />
        </Stack>
      </form>
    </Modal>
  );
}

/** Every sighting of the value the reader may see, across lists (the hub decides which). */
function SightingsModal({ value, onClose }: { value: string | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [{ data, error, fetching }] = useQuery({
    query: SIGHTINGS,
    variables: { value: value ?? '' },
    pause: !value,
    requestPolicy: 'network-only',
  });
  const sightings = data?.indicator?.sightings ?? [];
  return (
    <Modal
      opened={!!value}
      onClose={onClose}
      title={t('lists.page.sightingsTitle', { value })}
      size="xl"
      closeButtonProps={{ 'aria-label': t('lists.page.cancel') }}
    >
      <ErrorAlert error={error} />
      {!fetching && sightings.length === 0 && <Text c="dimmed">{t('lists.page.noSightings')}</Text>}
      {sightings.length > 0 && (
        <Table id="sightings-table" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('lists.page.sightingList')}</Table.Th>
              <Table.Th>TLP</Table.Th>
              <Table.Th>{t('lists.page.sightingFrom')}</Table.Th>
              <Table.Th>{t('lists.page.colConfidence')}</Table.Th>
              <Table.Th>{t('lists.page.colLastSeen')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sightings.map((s) => (
              <Table.Tr key={s.listId} className="sighting">
                <Table.Td>
                  <Anchor component={Link} to={`/lists/${s.listId}`} size="sm" onClick={onClose}>
                    {s.listName}
                  </Anchor>
                  {s.note && (
                    <Text size="xs" c="dimmed">
                      {s.note}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <TlpLabel tlp={s.tlp} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{s.author.label}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{s.confidence}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatTime(s.lastSeen, i18n.language)}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Modal>
  );
}

/**
 * "We saw this too" for one value: the hub keeps sightings as entries of the sighting
 * organisation's own lists, so the value is added to one of them, under that list's marking.
 */
function SawTooModal({
  value,
  onClose,
  onDone,
}: {
  value: string | null;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation();
  const hub = useHub();
  const [{ data, error }] = useQuery({
    query: OWN_LISTS,
    pause: !value,
    requestPolicy: 'network-only',
  });
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const lists = data?.indicatorLists.edges.map((e) => e.node) ?? [];
  const listId = chosen ?? lists[0]?.id ?? null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!value || !listId) return;
    setBusy(true);
    setFailure(null);
    try {
      const r = (await hub.mutate(ADD_ENTRIES, { listId, input: { text: value } })).addListEntries;
      if (!r.applied) throw new Error(r.rejected.map((p) => p.message).join('\n'));
      const name = lists.find((x) => x.id === listId)?.name ?? '';
      onDone(t('lists.page.sawTooDone', { value, list: name }));
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      opened={!!value}
      onClose={onClose}
      title={t('lists.page.sawTooTitle', { value })}
      centered
      closeButtonProps={{ 'aria-label': t('lists.page.cancel') }}
    >
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          <Text size="sm">{t('lists.page.sawTooText')}</Text>
          <ErrorAlert error={error} />
          {data && lists.length === 0 ? (
            <Text c="dimmed">{t('lists.page.sawTooNone')}</Text>
          ) : (
            <Select
              label={t('lists.page.sawTooList')}
              allowDeselect={false}
              value={listId}
              onChange={setChosen}
              data={lists.map((x) => ({
                value: x.id,
                label: `${x.name} (${TLP_LABEL[x.tlp]})`,
              }))}
            />
          )}
          <Group>
            <Button type="submit" loading={busy} disabled={!listId}>
              {t('lists.page.sawTooSubmit')}
            </Button>
            <Button variant="default" onClick={onClose}>
              {t('lists.page.cancel')}
            </Button>
          </Group>
          <ErrorAlert error={failure} />
        </Stack>
      </form>
    </Modal>
  );
}
