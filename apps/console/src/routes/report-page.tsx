import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { formatTime, useNames } from '../api/labels';
import { useHub } from '../api/use-hub';
import { ErrorAlert } from '../components/error-alert';
import { ExerciseBanner } from '../components/exercise-banner';
import { LowerMarking } from '../components/lower-marking';
import { TLP_LABEL, TlpBanner, TlpLabel } from '../components/tlp-banner';
import { graphql } from '../gql';
import { LinkedLists } from './lists/report-lists';

const REPORT = graphql(`
  query ReportView($id: ID!) {
    report(id: $id) {
      id
      title
      kind
      tlp
      status
      revision
      publishedAt
      createdAt
      retractionReason
      exercise
      exerciseName
      audience {
        sectorCodes
        organisationIds
        groupIds
      }
      categories
      affectedSectors
      author {
        label
        own
      }
      summary
      background
      detection
      response
      cause
      countermeasures
      lessonsLearned
      impact {
        servicesAffected
        scope
        durationMinutes
      }
      timeline {
        occurredAt
        detectedAt
        containedAt
        recoveredAt
      }
      linkedReports {
        id
        title
        tlp
      }
      revisions {
        revision
        title
        tlp
        createdAt
      }
      comments {
        id
        body
        createdAt
        author {
          label
        }
      }
      sightings {
        id
        note
        seenOn
        createdAt
        author {
          label
        }
      }
    }
  }
`);
const ADD_COMMENT = graphql(`
  mutation AddComment($id: ID!, $body: String!) {
    addReportComment(reportId: $id, body: $body) {
      id
    }
  }
`);
const RETRACT = graphql(`
  mutation RetractReport($id: ID!, $reason: String!) {
    retractReport(id: $id, reason: $reason) {
      id
      status
    }
  }
`);
const MARK_READ = graphql(`
  mutation MarkReportRead($id: ID!) {
    markReportRead(id: $id)
  }
`);
const ADD_SIGHTING = graphql(`
  mutation AddSighting($id: ID!, $note: String) {
    addReportSighting(reportId: $id, note: $note) {
      id
    }
  }
`);

export const SECTIONS = [
  'summary',
  'background',
  'detection',
  'response',
  'cause',
  'countermeasures',
  'lessonsLearned',
] as const;

const TIMELINE = ['occurredAt', 'detectedAt', 'containedAt', 'recoveredAt'] as const;

export function ReportPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const names = useNames();
  const hub = useHub();
  const lang = i18n.language;
  const [{ data, error }, refetch] = useQuery({ query: REPORT, variables: { id } });
  const [comment, setComment] = useState('');
  const [note, setNote] = useState('');
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [retracting, setRetracting] = useState(false);
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState('');
  const [removed, setRemoved] = useState('');
  const [markError, setMarkError] = useState<unknown>(null);

  // Opening a report marks it read (ADR 0025); only once the hub has shown it to this reader.
  const shownId = data?.report.id;
  const mutate = hub.mutate;
  useEffect(() => {
    if (!shownId) return;
    mutate(MARK_READ, { id: shownId }).catch(setMarkError);
  }, [shownId, mutate]);

  const act = (action: () => Promise<unknown>) => async (ev?: FormEvent) => {
    ev?.preventDefault();
    setBusy(true);
    setActionError(null);
    try {
      await action();
      refetch({ requestPolicy: 'network-only' });
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };

  if (removed) {
    return (
      <Stack>
        <Alert color="green" role="status" id="exercise-removed">
          {removed}
        </Alert>
        <Anchor component={Link} to="/inbox">
          {t('app.nav.inbox')}
        </Anchor>
      </Stack>
    );
  }
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Text>{t('app.loading')}</Text>;
  const r = data.report;

  return (
    <Stack maw={1000}>
      <TlpBanner tlp={r.tlp} />
      {r.exercise && (
        <ExerciseBanner
          name={r.exerciseName}
          own={r.author.own}
          onRemoved={(count, name) => setRemoved(t('sector.exercise.removed', { count, name }))}
        />
      )}
      <ErrorAlert error={markError} />
      <div>
        <Title order={1} size="h2">
          {r.title}
        </Title>
        <Group gap="xs" mt={4}>
          <Badge variant="light">{t(`kind.${r.kind}`)}</Badge>
          {r.status !== 'PUBLISHED' && <Badge color="gray">{t(`status.${r.status}`)}</Badge>}
          <Text size="sm" c="dimmed">
            {t('report.from')}: {r.author.label} · {formatTime(r.publishedAt ?? r.createdAt, lang)}{' '}
            · {t('report.revision', { revision: r.revision })}
          </Text>
          {r.author.own && r.status === 'PUBLISHED' && (
            <Button size="xs" variant="outline" color="red" onClick={() => setRetracting(true)}>
              {t('report.retract')}
            </Button>
          )}
          {r.author.own && r.status === 'PUBLISHED' && (
            <LowerMarking
              report={r}
              onLowered={(tlp) => {
                setNotice(t('sector.marking.lowered', { label: TLP_LABEL[tlp] }));
                refetch({ requestPolicy: 'network-only' });
              }}
            />
          )}
          {r.status === 'PUBLISHED' && (
            <Anchor component={Link} to={`/assistance/ask/${r.id}`} size="sm" id="ask-for-help">
              {t('sector.assistance.askTitle')}
            </Anchor>
          )}
          {r.author.own && r.status === 'DRAFT' && (
            <Anchor component={Link} to={`/write/${r.id}`} size="sm">
              {t('report.edit')}
            </Anchor>
          )}
        </Group>
      </div>
      <Modal
        opened={retracting}
        onClose={() => setRetracting(false)}
        title={t('report.retractTitle')}
        closeButtonProps={{ 'aria-label': t('stepUp.cancel') }}
        centered
      >
        <form
          onSubmit={act(async () => {
            await hub.mutate(RETRACT, { id: r.id, reason });
            setRetracting(false);
            setReason('');
          })}
        >
          <Stack>
            <Text size="sm">{t('report.retractText')}</Text>
            <Textarea
              label={t('report.retractReason')}
              required
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              data-autofocus
            />
            <Group>
              <Button type="submit" color="red.9" loading={busy}>
                {t('report.retractConfirm')}
              </Button>
              <Button variant="default" onClick={() => setRetracting(false)}>
                {t('stepUp.cancel')}
              </Button>
            </Group>
            <ErrorAlert error={actionError} />
          </Stack>
        </form>
      </Modal>
      {notice && (
        <Alert color="green" role="status" id="report-notice">
          {notice}
        </Alert>
      )}
      {r.retractionReason && (
        <Alert color="gray" role="status">
          {t('report.retracted', { reason: r.retractionReason })}
        </Alert>
      )}
      <Group gap="xs">
        {r.categories.map((c) => (
          <Badge key={c} variant="outline" color="dark">
            {names.category(c)}
          </Badge>
        ))}
        {r.affectedSectors.map((s) => (
          <Badge key={s} variant="outline" color="blue">
            {names.sector(s)}
          </Badge>
        ))}
      </Group>
      {SECTIONS.map((s) =>
        r[s] ? (
          <section key={s} aria-labelledby={`section-${s}`}>
            <Title order={2} size="h4" id={`section-${s}`}>
              {t(`report.sections.${s}`)}
            </Title>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{r[s]}</Text>
          </section>
        ) : null,
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Card withBorder component="section" aria-labelledby="impact-title">
          <Title order={2} size="h4" id="impact-title">
            {t('report.impact')}
          </Title>
          <Table variant="vertical" withRowBorders={false}>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th>{t('report.servicesAffected')}</Table.Th>
                <Table.Td>{r.impact.servicesAffected ?? t('report.none')}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('report.scope')}</Table.Th>
                <Table.Td>{r.impact.scope ?? t('report.none')}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('report.duration')}</Table.Th>
                <Table.Td>{r.impact.durationMinutes ?? t('report.none')}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Card>
        <Card withBorder component="section" aria-labelledby="timeline-title">
          <Title order={2} size="h4" id="timeline-title">
            {t('report.timeline')}
          </Title>
          <Table variant="vertical" withRowBorders={false}>
            <Table.Tbody>
              {TIMELINE.map((k) => (
                <Table.Tr key={k}>
                  <Table.Th>{t(`report.${k}`)}</Table.Th>
                  <Table.Td>{formatTime(r.timeline[k], lang)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      </SimpleGrid>
      {r.linkedReports.length > 0 && (
        <section aria-labelledby="linked-title">
          <Title order={2} size="h4" id="linked-title">
            {t('report.linked')}
          </Title>
          <Stack gap={4} component="ul" p={0} style={{ listStyle: 'none' }}>
            {r.linkedReports.map((l) => (
              <Group component="li" key={l.id} gap="xs">
                <TlpLabel tlp={l.tlp} />
                <Anchor component={Link} to={`/reports/${l.id}`}>
                  {l.title}
                </Anchor>
              </Group>
            ))}
          </Stack>
        </section>
      )}
      <LinkedLists reportId={r.id} />
      {r.revisions.length > 1 && (
        <section aria-labelledby="revisions-title">
          <Title order={2} size="h4" id="revisions-title">
            {t('report.revisions')}
          </Title>
          <Table>
            <Table.Tbody>
              {r.revisions.map((v) => (
                <Table.Tr key={v.revision}>
                  <Table.Td>{t('report.revision', { revision: v.revision })}</Table.Td>
                  <Table.Td>{v.title}</Table.Td>
                  <Table.Td>
                    <TlpLabel tlp={v.tlp} />
                  </Table.Td>
                  <Table.Td>{formatTime(v.createdAt, lang)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>
      )}
      <ErrorAlert error={actionError} />
      {r.status === 'PUBLISHED' && (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Card withBorder component="section" aria-labelledby="sightings-title" id="sightings">
            <Title order={2} size="h4" id="sightings-title">
              {t('report.sightings')} ({r.sightings.length})
            </Title>
            <Stack gap={4} my="xs">
              {r.sightings.length === 0 && <Text c="dimmed">{t('report.noSightings')}</Text>}
              {r.sightings.map((s) => (
                <Text key={s.id} size="sm" className="sighting">
                  <strong>{s.author.label}</strong> · {formatTime(s.createdAt, lang)}
                  {s.note ? ` — ${s.note}` : ''}
                </Text>
              ))}
            </Stack>
            <form
              onSubmit={act(async () => {
                await hub.mutate(ADD_SIGHTING, { id: r.id, note: note.trim() || null });
                setNote('');
              })}
            >
              <Group align="end">
                <TextInput
                  label={t('report.sightingNote')}
                  value={note}
                  onChange={(e) => setNote(e.currentTarget.value)}
                />
                <Button type="submit" loading={busy}>
                  {t('report.addSighting')}
                </Button>
              </Group>
            </form>
          </Card>
          <Card withBorder component="section" aria-labelledby="comments-title" id="comments">
            <Title order={2} size="h4" id="comments-title">
              {t('report.comments')} ({r.comments.length})
            </Title>
            <Stack gap={4} my="xs">
              {r.comments.length === 0 && <Text c="dimmed">{t('report.noComments')}</Text>}
              {r.comments.map((c) => (
                <div key={c.id} className="comment">
                  <Text size="xs" c="dimmed">
                    {c.author.label} · {formatTime(c.createdAt, lang)}
                  </Text>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {c.body}
                  </Text>
                </div>
              ))}
            </Stack>
            <form
              onSubmit={act(async () => {
                await hub.mutate(ADD_COMMENT, { id: r.id, body: comment });
                setComment('');
              })}
            >
              <Stack gap="xs">
                <Textarea
                  label={t('report.addComment')}
                  required
                  autosize
                  minRows={2}
                  value={comment}
                  onChange={(e) => setComment(e.currentTarget.value)}
                />
                <Button type="submit" loading={busy} variant="default">
                  {t('report.postComment')}
                </Button>
              </Stack>
            </form>
          </Card>
        </SimpleGrid>
      )}
    </Stack>
  );
}
