import { Anchor, Button, Card, Group, Modal, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { formatTime } from '../../api/labels';
import { useHub } from '../../api/use-hub';
import { useOrganisations } from '../../components/audience-fields';
import { ErrorAlert } from '../../components/error-alert';
import { graphql } from '../../gql';
import { StatusBadge } from './assistance-list-page';

const REQUEST = graphql(`
  query AssistanceRequestView($id: ID!) {
    assistanceRequest(id: $id) {
      id
      reportId
      body
      status
      createdAt
      closedAt
      addressedOrganisationIds
      requester {
        label
        own
      }
      responses {
        id
        body
        createdAt
        author {
          label
          own
        }
      }
    }
  }
`);
const RESPOND = graphql(`
  mutation RespondToAssistance($id: ID!, $body: String!) {
    respondToAssistance(id: $id, body: $body) {
      id
    }
  }
`);
const CLOSE = graphql(`
  mutation CloseAssistanceRequest($id: ID!) {
    closeAssistanceRequest(id: $id) {
      id
      status
    }
  }
`);

/**
 * One request with its responses. Parties appear as the hub labels them for this reader: a
 * pseudonym where the requester asked anonymously, names where the reader may know them.
 */
export function AssistanceRequestPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const hub = useHub();
  const [{ data, error }, refetch] = useQuery({ query: REQUEST, variables: { id } });
  const orgs = useOrganisations(data?.assistanceRequest.addressedOrganisationIds ?? []);
  const [body, setBody] = useState('');
  const [closing, setClosing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const lang = i18n.language;

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

  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Text>{t('app.loading')}</Text>;
  const r = data.assistanceRequest;
  const open = r.status === 'OPEN';
  const peers = (r.addressedOrganisationIds ?? [])
    .filter((o) => orgs.kind(o) !== 'COORDINATOR')
    .map(orgs.name);

  return (
    <Stack maw={900}>
      <Anchor component={Link} to="/assistance" size="sm">
        ← {t('sector.assistance.back')}
      </Anchor>
      <Group gap="sm">
        <Title order={1} size="h2">
          {t('sector.assistance.requestTitle')}
        </Title>
        <StatusBadge status={r.status} />
      </Group>
      <Card withBorder id="request">
        <Text size="sm" id="requester">
          <strong>{t('sector.assistance.requester')}:</strong> {r.requester.label}
        </Text>
        <Text size="sm">
          {t('sector.assistance.asked', { date: formatTime(r.createdAt, lang) })}
        </Text>
        {r.closedAt && (
          <Text size="sm">
            {t('sector.assistance.closedAt', { date: formatTime(r.closedAt, lang) })}
          </Text>
        )}
        {r.addressedOrganisationIds && (
          <Text size="sm" id="addressed">
            {peers.length
              ? t('sector.assistance.addressed', { names: peers.join(', ') })
              : t('sector.assistance.addressedCoordinatorOnly')}
          </Text>
        )}
        {/* Null when this organisation cannot read the report it is about (ADR 0022). */}
        {r.reportId && (
          <Anchor component={Link} to={`/reports/${r.reportId}`} size="sm">
            {t('sector.assistance.report')}
          </Anchor>
        )}
        <Text mt="sm" style={{ whiteSpace: 'pre-wrap' }} id="request-body">
          {r.body}
        </Text>
      </Card>
      <section aria-labelledby="responses-title">
        <Title order={2} size="h4" id="responses-title">
          {t('sector.assistance.responses', { count: r.responses.length })}
        </Title>
        <Stack gap="xs" my="xs" id="responses">
          {r.responses.length === 0 && <Text c="dimmed">{t('sector.assistance.noResponses')}</Text>}
          {r.responses.map((x) => (
            <Card withBorder key={x.id} className="response" p="sm">
              <Text size="xs" c="dimmed">
                {x.author.label} · {formatTime(x.createdAt, lang)}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {x.body}
              </Text>
            </Card>
          ))}
        </Stack>
      </section>
      <ErrorAlert error={actionError} />
      {open && !r.requester.own && (
        <form
          id="respond-form"
          onSubmit={act(async () => {
            await hub.mutate(RESPOND, { id: r.id, body });
            setBody('');
          })}
        >
          <Stack gap="xs">
            <Textarea
              label={t('sector.assistance.respond')}
              required
              autosize
              minRows={3}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
            />
            <Button type="submit" loading={busy} w="fit-content">
              {t('sector.assistance.sendResponse')}
            </Button>
          </Stack>
        </form>
      )}
      {open && r.requester.own && (
        <Button
          color="red.9"
          variant="outline"
          w="fit-content"
          onClick={() => setClosing(true)}
          id="close-request"
        >
          {t('sector.assistance.close')}
        </Button>
      )}
      <Modal
        opened={closing}
        onClose={() => setClosing(false)}
        title={t('sector.assistance.close')}
        closeButtonProps={{ 'aria-label': t('stepUp.cancel') }}
        centered
      >
        <Stack>
          <Text size="sm">{t('sector.assistance.closeText')}</Text>
          <Group>
            <Button
              color="red.9"
              loading={busy}
              data-autofocus
              onClick={() =>
                void act(async () => {
                  await hub.mutate(CLOSE, { id: r.id });
                  setClosing(false);
                })()
              }
            >
              {t('sector.assistance.closeConfirm')}
            </Button>
            <Button variant="default" onClick={() => setClosing(false)}>
              {t('stepUp.cancel')}
            </Button>
          </Group>
          <ErrorAlert error={actionError} />
        </Stack>
      </Modal>
    </Stack>
  );
}
