import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { formatTime, TLPS, useNames } from '../../api/labels';
import { useHub } from '../../api/use-hub';
import { ErrorAlert } from '../../components/error-alert';
import { TLP_LABEL, TlpBanner, TlpLabel } from '../../components/tlp-banner';
import { graphql } from '../../gql';
import type { ListIndexRowFragment, ListStatus, Tlp } from '../../gql/graphql';
import { AudienceFields, audienceInput, NO_AUDIENCE, type Audience } from './audience-fields';

graphql(`
  fragment ListIndexRow on IndicatorListConnection {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        name
        tlp
        status
        exercise
        createdAt
        liveEntries
        author {
          label
        }
      }
    }
  }
`);
const LISTS = graphql(`
  query ListIndex($first: Int!, $after: String, $filter: IndicatorListFilter) {
    indicatorLists(first: $first, after: $after, filter: $filter) {
      ...ListIndexRow
    }
  }
`);
const CREATE_LIST = graphql(`
  mutation CreateIndicatorList($input: IndicatorListInput!) {
    createIndicatorList(input: $input) {
      id
    }
  }
`);

const PAGE = 50;
type ListNode = ListIndexRowFragment['edges'][number]['node'];

/** The lists the person may see, as the hub returns them, with a form to create one. */
export function ListIndexPage() {
  const { t, i18n } = useTranslation();
  const hub = useHub();
  const [text, setText] = useState('');
  const [search] = useDebouncedValue(text.trim(), 300);
  const [status, setStatus] = useState<string | null>(null);
  const [ownOnly, setOwnOnly] = useState(false);
  const [creating, setCreating] = useState(false);
  const filter = {
    text: search || undefined,
    status: (status as ListStatus | null) ?? undefined,
    ownOnly: ownOnly || undefined,
  };
  const filterKey = JSON.stringify(filter);
  const [{ data, error, fetching }] = useQuery({
    query: LISTS,
    variables: { first: PAGE, filter },
  });
  const [more, setMore] = useState<{ key: string; nodes: ListNode[]; cursor: string | null }>({
    key: '',
    nodes: [],
    cursor: null,
  });
  const [moreError, setMoreError] = useState<unknown>(null);
  const extra = more.key === filterKey ? more : { key: filterKey, nodes: [], cursor: null };
  const page = data?.indicatorLists;
  const cursor = extra.cursor ?? page?.pageInfo.endCursor ?? null;
  const hasMore = extra.cursor !== null ? extra.cursor !== '' : !!page?.pageInfo.hasNextPage;
  async function showMore() {
    if (!cursor) return;
    setMoreError(null);
    try {
      const next = (await hub.query(LISTS, { first: PAGE, after: cursor, filter })).indicatorLists;
      setMore({
        key: filterKey,
        nodes: [...extra.nodes, ...next.edges.map((e) => e.node)],
        cursor: next.pageInfo.hasNextPage ? (next.pageInfo.endCursor ?? null) : '',
      });
    } catch (e) {
      setMoreError(e);
    }
  }
  const rows = [...(page?.edges ?? []).map((e) => e.node), ...extra.nodes];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('lists.index.title')}
        </Title>
        <Button onClick={() => setCreating(true)}>{t('lists.index.create')}</Button>
      </Group>
      <Group
        align="end"
        gap="sm"
        component="form"
        role="search"
        onSubmit={(e) => e.preventDefault()}
      >
        <TextInput
          label={t('lists.index.search')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          w={260}
        />
        <Select
          label={t('lists.index.status')}
          placeholder={t('lists.index.any')}
          clearable
          value={status}
          onChange={setStatus}
          data={(['PUBLISHED', 'RETRACTED'] as const).map((s) => ({
            value: s,
            label: t(`lists.status.${s}`),
          }))}
          w={160}
        />
        <Checkbox
          label={t('lists.index.ownOnly')}
          checked={ownOnly}
          onChange={(e) => setOwnOnly(e.currentTarget.checked)}
          mb={8}
        />
      </Group>
      <ErrorAlert error={error} />
      <Table striped highlightOnHover id="list-table" aria-label={t('lists.index.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('lists.index.colName')}</Table.Th>
            <Table.Th>{t('lists.index.colTlp')}</Table.Th>
            <Table.Th>{t('lists.index.colFrom')}</Table.Th>
            <Table.Th>{t('lists.index.colEntries')}</Table.Th>
            <Table.Th>{t('lists.index.colCreated')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((l) => (
            <Table.Tr key={l.id}>
              <Table.Td>
                <Anchor component={Link} to={`/lists/${l.id}`} size="sm">
                  {l.name}
                </Anchor>
                {l.status !== 'PUBLISHED' && (
                  <Badge ml="xs" size="xs" color="gray" variant="outline">
                    {t(`lists.status.${l.status}`)}
                  </Badge>
                )}
                {l.exercise && (
                  <Badge ml="xs" size="xs" color="dark" variant="outline">
                    {t('lists.create.exercise')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <TlpLabel tlp={l.tlp} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{l.author.label}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{l.liveEntries}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatTime(l.createdAt, i18n.language)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ErrorAlert error={moreError} />
      {!fetching && rows.length === 0 && <Text c="dimmed">{t('lists.index.empty')}</Text>}
      {page && (
        <Group>
          <Text size="sm" c="dimmed">
            {t('lists.index.count', { shown: rows.length, total: page.totalCount })}
          </Text>
          {hasMore && (
            <Button variant="default" size="xs" onClick={() => void showMore()}>
              {t('lists.index.more')}
            </Button>
          )}
        </Group>
      )}
      <CreateListModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

function CreateListModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const hub = useHub();
  const names = useNames();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [tlp, setTlp] = useState<Tlp>('AMBER');
  const [anonymous, setAnonymous] = useState(false);
  const [sectors, setSectors] = useState<string[]>([]);
  const [validity, setValidity] = useState<number | ''>('');
  const [exercise, setExercise] = useState('');
  const [audience, setAudience] = useState<Audience>(NO_AUDIENCE);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await hub.mutate(CREATE_LIST, {
        input: {
          name,
          description,
          tlp,
          anonymous,
          sectors,
          defaultValidityDays: validity === '' ? null : validity,
          exercise: exercise.trim() || null,
          audience: audienceInput(tlp, audience),
        },
      });
      void navigate(`/lists/${created.createIndicatorList.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('lists.create.title')}
      size="xl"
      closeButtonProps={{ 'aria-label': t('lists.create.cancel') }}
    >
      <form onSubmit={(e) => void submit(e)} id="create-list">
        <Stack>
          <TlpBanner tlp={tlp} />
          <TextInput
            label={t('lists.create.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <Textarea
            label={t('lists.create.description')}
            autosize
            minRows={2}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <Group grow align="start">
            <Select
              label={t('lists.create.tlp')}
              allowDeselect={false}
              value={tlp}
              onChange={(v) => v && setTlp(v as Tlp)}
              data={TLPS.map((x) => ({ value: x, label: TLP_LABEL[x] }))}
            />
            <NumberInput
              label={t('lists.create.validity')}
              description={t('lists.create.validityHint')}
              min={1}
              max={3650}
              value={validity}
              onChange={(v) => setValidity(typeof v === 'number' ? v : '')}
            />
          </Group>
          <AudienceFields tlp={tlp} value={audience} onChange={setAudience} />
          <MultiSelect
            label={t('lists.create.sectors')}
            searchable
            value={sectors}
            onChange={setSectors}
            data={names.sectors.map((s) => ({ value: s.code, label: names.sector(s.code) }))}
          />
          <Checkbox
            label={t('lists.create.anonymous')}
            checked={anonymous}
            onChange={(e) => setAnonymous(e.currentTarget.checked)}
          />
          <TextInput
            label={t('lists.create.exercise')}
            description={t('lists.create.exerciseHint')}
            value={exercise}
            onChange={(e) => setExercise(e.currentTarget.value)}
          />
          <ErrorAlert error={error} />
          <Group>
            <Button type="submit" loading={busy}>
              {t('lists.create.submit')}
            </Button>
            <Button variant="default" onClick={onClose}>
              {t('lists.create.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
