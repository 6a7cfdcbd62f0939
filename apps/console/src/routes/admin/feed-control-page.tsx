import {
  Badge,
  Button,
  Code,
  Group,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { formatTime } from '../../api/labels';
import { useHub } from '../../api/use-hub';
import { ErrorAlert } from '../../components/error-alert';
import { useStepUp } from '../../components/step-up';
import { graphql } from '../../gql';
import type { FeedStopKind } from '../../gql/graphql';
import { Section, useAction } from '../../components/section';

const FEED_CONTROL = graphql(`
  query AdminFeedControl {
    feedAllowList {
      range
      reason
      source
    }
    feedReviews(state: HELD) {
      changeId
      heldAt
      reason
      added
      listId
      listName
      values
      author {
        label
      }
    }
    feedStops {
      id
      kind
      value
      listId
      organisationId
      reason
      stoppedAt
      liftedAt
    }
  }
`);
const ADD_ALLOW = graphql(`
  mutation AdminAddAllowRange($range: String!, $note: String!) {
    addFeedAllowRange(range: $range, note: $note)
  }
`);
const REMOVE_ALLOW = graphql(`
  mutation AdminRemoveAllowRange($range: String!) {
    removeFeedAllowRange(range: $range)
  }
`);
const APPROVE = graphql(`
  mutation AdminApproveFeedChange($id: Int!, $note: String!) {
    approveFeedChange(changeId: $id, note: $note) {
      changeId
      state
    }
  }
`);
const REFUSE = graphql(`
  mutation AdminRefuseFeedChange($id: Int!, $note: String!) {
    refuseFeedChange(changeId: $id, note: $note) {
      changeId
      state
    }
  }
`);
const STOP = graphql(`
  mutation AdminStopInFeeds($i: FeedStopInput!) {
    stopInFeeds(input: $i) {
      id
    }
  }
`);
const LIFT = graphql(`
  mutation AdminLiftFeedStop($id: Int!) {
    liftFeedStop(id: $id) {
      id
    }
  }
`);

const STOP_KINDS: FeedStopKind[] = ['VALUE', 'LIST', 'ORGANISATION'];

/** The hub-wide entries an admin keeps first; the built-in ranges (a hundred or so) after. */
const SOURCE_ORDER = ['hub', 'own', 'public-resolver', 'special-purpose'];
function allowFirst<T extends { source: string }>(rows: T[]): T[] {
  const rank = (s: string) => (SOURCE_ORDER.indexOf(s) + 5) % 5;
  return [...rows].sort((a, b) => rank(a.source) - rank(b.source));
}

/** Hub admins: what feeds never serve, the changes held for review, and emergency stops. */
export function FeedControlPage() {
  const { t, i18n } = useTranslation();
  const hub = useHub();
  const stepUp = useStepUp();
  const [{ data, error }, refetch] = useQuery({
    query: FEED_CONTROL,
    requestPolicy: 'network-only',
  });
  const [allow, setAllow] = useState({ range: '', note: '' });
  const [notes, setNotes] = useState<Record<number, string>>({});
  const [stop, setStop] = useState<{ kind: FeedStopKind; target: string; reason: string }>({
    kind: 'VALUE',
    target: '',
    reason: '',
  });
  const allowAction = useAction();
  const review = useAction();
  const stops = useAction();
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const lang = i18n.language;

  return (
    <Stack maw={1200}>
      <Title order={1} size="h2">
        {t('admin.feeds.title')}
      </Title>
      <ErrorAlert error={error} />
      <Section id="feed-reviews" title={t('admin.feeds.reviews')}>
        <Text size="sm" c="dark.6" mb="xs">
          {t('admin.feeds.reviewsIntro')}
        </Text>
        <ErrorAlert error={review.error} />
        {data && data.feedReviews.length === 0 && <Text>{t('admin.feeds.noReviews')}</Text>}
        {data && data.feedReviews.length > 0 && (
          <Table striped id="review-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.feeds.heldAt')}</Table.Th>
                <Table.Th>{t('admin.feeds.list')}</Table.Th>
                <Table.Th>{t('admin.feeds.reason')}</Table.Th>
                <Table.Th>{t('admin.feeds.values')}</Table.Th>
                <Table.Th>{t('admin.feeds.note')}</Table.Th>
                <Table.Th>{t('admin.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.feedReviews.map((r) => (
                <Table.Tr key={r.changeId}>
                  <Table.Td>{formatTime(r.heldAt, lang)}</Table.Td>
                  <Table.Td>
                    {r.listName ?? '—'}
                    <Text size="xs" c="dark.6">
                      {r.author.label}
                    </Text>
                  </Table.Td>
                  <Table.Td>{r.reason}</Table.Td>
                  <Table.Td>
                    {t('admin.feeds.added', { count: r.added })}
                    {r.values.length > 0 && (
                      <Code block mah={120} style={{ overflow: 'auto' }}>
                        {r.values.join('\n')}
                      </Code>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      aria-label={t('admin.feeds.noteFor', { id: r.changeId })}
                      value={notes[r.changeId] ?? ''}
                      onChange={(e) => setNotes({ ...notes, [r.changeId]: e.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button
                        size="xs"
                        onClick={review.run(async () => {
                          const note = notes[r.changeId] ?? '';
                          await stepUp(() => hub.mutate(APPROVE, { id: r.changeId, note }));
                          reload();
                        })}
                      >
                        {t('admin.feeds.approve')}
                      </Button>
                      <Button
                        size="xs"
                        color="red"
                        variant="default"
                        onClick={review.run(async () => {
                          const note = notes[r.changeId] ?? '';
                          await stepUp(() => hub.mutate(REFUSE, { id: r.changeId, note }));
                          reload();
                        })}
                      >
                        {t('admin.feeds.refuse')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
      <Section id="feed-stops" title={t('admin.feeds.stops')}>
        <Text size="sm" c="dark.6" mb="xs">
          {t('admin.feeds.stopsIntro')}
        </Text>
        <form
          onSubmit={stops.run(async () => {
            const target = stop.target.trim();
            await stepUp(() =>
              hub.mutate(STOP, {
                i: {
                  kind: stop.kind,
                  reason: stop.reason.trim(),
                  value: stop.kind === 'VALUE' ? target : undefined,
                  listId: stop.kind === 'LIST' ? target : undefined,
                  organisationId: stop.kind === 'ORGANISATION' ? target : undefined,
                },
              }),
            );
            setStop({ kind: 'VALUE', target: '', reason: '' });
            reload();
          })}
        >
          <Group align="end">
            <NativeSelect
              label={t('admin.feeds.stopKind')}
              value={stop.kind}
              onChange={(e) => setStop({ ...stop, kind: e.currentTarget.value as FeedStopKind })}
              data={STOP_KINDS.map((k) => ({ value: k, label: t(`admin.feeds.kinds.${k}`) }))}
            />
            <TextInput
              label={t(`admin.feeds.targets.${stop.kind}`)}
              required
              value={stop.target}
              onChange={(e) => setStop({ ...stop, target: e.currentTarget.value })}
            />
            <TextInput
              label={t('admin.feeds.reason')}
              required
              w={320}
              value={stop.reason}
              onChange={(e) => setStop({ ...stop, reason: e.currentTarget.value })}
            />
            <Button type="submit" color="red" loading={stops.busy}>
              {t('admin.feeds.stop')}
            </Button>
          </Group>
        </form>
        <ErrorAlert error={stops.error} />
        <Table striped mt="sm" id="stop-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.feeds.stoppedAt')}</Table.Th>
              <Table.Th>{t('admin.feeds.stopKind')}</Table.Th>
              <Table.Th>{t('admin.feeds.target')}</Table.Th>
              <Table.Th>{t('admin.feeds.reason')}</Table.Th>
              <Table.Th>{t('admin.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data?.feedStops ?? []).map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>{formatTime(s.stoppedAt, lang)}</Table.Td>
                <Table.Td>{t(`admin.feeds.kinds.${s.kind}`)}</Table.Td>
                <Table.Td>
                  <Code>{s.value ?? s.listId ?? s.organisationId}</Code>
                </Table.Td>
                <Table.Td>{s.reason}</Table.Td>
                <Table.Td>
                  {s.liftedAt ? (
                    <Badge c="dark.8" variant="light" color="gray">
                      {t('admin.feeds.liftedAt', { at: formatTime(s.liftedAt, lang) })}
                    </Badge>
                  ) : (
                    <Button
                      size="xs"
                      variant="default"
                      onClick={stops.run(async () => {
                        await stepUp(() => hub.mutate(LIFT, { id: s.id }));
                        reload();
                      })}
                    >
                      {t('admin.feeds.lift')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      <Section id="allow-list" title={t('admin.feeds.allowList')}>
        <Text size="sm" c="dark.6" mb="xs">
          {t('admin.feeds.allowIntro')}
        </Text>
        <form
          onSubmit={allowAction.run(async () => {
            await stepUp(() =>
              hub.mutate(ADD_ALLOW, { range: allow.range.trim(), note: allow.note.trim() }),
            );
            setAllow({ range: '', note: '' });
            reload();
          })}
        >
          <Group align="end">
            <TextInput
              label={t('admin.feeds.range')}
              required
              value={allow.range}
              onChange={(e) => setAllow({ ...allow, range: e.currentTarget.value })}
            />
            <TextInput
              label={t('admin.feeds.note')}
              w={320}
              value={allow.note}
              onChange={(e) => setAllow({ ...allow, note: e.currentTarget.value })}
            />
            <Button type="submit" loading={allowAction.busy}>
              {t('admin.feeds.allow')}
            </Button>
          </Group>
        </form>
        <ErrorAlert error={allowAction.error} />
        <Table striped mt="sm" id="allow-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.feeds.range')}</Table.Th>
              <Table.Th>{t('admin.feeds.source')}</Table.Th>
              <Table.Th>{t('admin.feeds.reason')}</Table.Th>
              <Table.Th>{t('admin.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {allowFirst(data?.feedAllowList ?? []).map((a) => (
              <Table.Tr key={`${a.source}-${a.range}`}>
                <Table.Td>
                  <Code>{a.range}</Code>
                </Table.Td>
                <Table.Td>
                  {t(`admin.feeds.sources.${a.source}`, { defaultValue: a.source })}
                </Table.Td>
                <Table.Td>{a.reason}</Table.Td>
                <Table.Td>
                  {a.source === 'hub' && (
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={t('admin.feeds.removeOf', { range: a.range })}
                      onClick={allowAction.run(async () => {
                        await stepUp(() => hub.mutate(REMOVE_ALLOW, { range: a.range }));
                        reload();
                      })}
                    >
                      {t('admin.feeds.remove')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
    </Stack>
  );
}
