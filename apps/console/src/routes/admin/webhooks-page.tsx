import {
  Alert,
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
import type { WebhookTopic } from '../../gql/graphql';
import { Section, useAction } from '../../components/section';

const WEBHOOKS = graphql(`
  query AdminWebhooks {
    webhooks {
      id
      url
      topic
      status
      attempts
      failingSince
      pausedReason
      createdAt
    }
  }
`);
const DELIVERIES = graphql(`
  query AdminWebhookDeliveries($id: ID!) {
    webhookDeliveries(id: $id, first: 50) {
      eventId
      at
      attempt
      statusCode
      durationMs
      error
    }
  }
`);
const CREATE = graphql(`
  mutation AdminCreateWebhook($i: CreateWebhookInput!) {
    createWebhook(input: $i) {
      secret
      webhook {
        id
        url
      }
    }
  }
`);
const DELETE = graphql(`
  mutation AdminDeleteWebhook($id: ID!) {
    deleteWebhook(id: $id)
  }
`);
const RESUME = graphql(`
  mutation AdminResumeWebhook($id: ID!) {
    resumeWebhook(id: $id) {
      id
      status
    }
  }
`);

const TOPICS: WebhookTopic[] = ['REPORTS', 'LISTS'];

function DeliveryLog({ id, url }: { id: string; url: string }) {
  const { t, i18n } = useTranslation();
  const [{ data, error }] = useQuery({
    query: DELIVERIES,
    variables: { id },
    requestPolicy: 'network-only',
  });
  return (
    <Section id="delivery-log" title={t('admin.webhooks.logTitle', { url })}>
      <ErrorAlert error={error} />
      {data && data.webhookDeliveries.length === 0 && (
        <Text>{t('admin.webhooks.noDeliveries')}</Text>
      )}
      {data && data.webhookDeliveries.length > 0 && (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.webhooks.at')}</Table.Th>
              <Table.Th>{t('admin.webhooks.event')}</Table.Th>
              <Table.Th>{t('admin.webhooks.attempt')}</Table.Th>
              <Table.Th>{t('admin.webhooks.result')}</Table.Th>
              <Table.Th>{t('admin.webhooks.duration')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.webhookDeliveries.map((d) => (
              <Table.Tr key={`${d.eventId}-${d.attempt}`}>
                <Table.Td>{formatTime(d.at, i18n.language)}</Table.Td>
                <Table.Td>
                  <Code>{d.eventId}</Code>
                </Table.Td>
                <Table.Td>{d.attempt}</Table.Td>
                <Table.Td>{d.error ? `${d.statusCode ?? '—'} ${d.error}` : d.statusCode}</Table.Td>
                <Table.Td>{`${d.durationMs} ms`}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

export function WebhooksPage() {
  const { t, i18n } = useTranslation();
  const hub = useHub();
  const stepUp = useStepUp();
  const [{ data, error }, refetch] = useQuery({ query: WEBHOOKS, requestPolicy: 'network-only' });
  const [form, setForm] = useState<{ url: string; topic: WebhookTopic }>({
    url: '',
    topic: 'REPORTS',
  });
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [shown, setShown] = useState<{ id: string; url: string } | null>(null);
  const create = useAction();
  const rows = useAction();
  const reload = () => refetch({ requestPolicy: 'network-only' });

  return (
    <Stack maw={1100}>
      <Title order={1} size="h2">
        {t('admin.webhooks.title')}
      </Title>
      <Section id="create-webhook" title={t('admin.webhooks.create')}>
        <form
          onSubmit={create.run(async () => {
            const r = await stepUp(() =>
              hub.mutate(CREATE, { i: { url: form.url.trim(), topic: form.topic } }),
            );
            setSecret({ url: r.createWebhook.webhook.url, secret: r.createWebhook.secret });
            setForm({ url: '', topic: 'REPORTS' });
            reload();
          })}
        >
          <Group align="end">
            <TextInput
              label={t('admin.webhooks.url')}
              type="url"
              required
              w={420}
              value={form.url}
              onChange={(e) => setForm({ ...form, url: e.currentTarget.value })}
            />
            <NativeSelect
              label={t('admin.webhooks.topic')}
              value={form.topic}
              onChange={(e) => setForm({ ...form, topic: e.currentTarget.value as WebhookTopic })}
              data={TOPICS.map((v) => ({ value: v, label: t(`admin.webhooks.topics.${v}`) }))}
            />
            <Button type="submit" loading={create.busy}>
              {t('admin.webhooks.createSubmit')}
            </Button>
          </Group>
        </form>
        <ErrorAlert error={create.error} />
      </Section>
      {secret && (
        <Alert color="yellow" id="webhook-secret-box">
          <Text fw={700}>{t('admin.webhooks.secretTitle')}</Text>
          <Text size="sm">{t('admin.webhooks.secretText', { url: secret.url })}</Text>
          <Code block my="xs" id="webhook-secret">
            {secret.secret}
          </Code>
          <Button size="xs" variant="default" onClick={() => setSecret(null)}>
            {t('admin.tokens.stored')}
          </Button>
        </Alert>
      )}
      <ErrorAlert error={error ?? rows.error} />
      <Table striped withTableBorder id="webhook-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.webhooks.url')}</Table.Th>
            <Table.Th>{t('admin.webhooks.topic')}</Table.Th>
            <Table.Th>{t('admin.webhooks.state')}</Table.Th>
            <Table.Th>{t('admin.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(data?.webhooks ?? []).map((w) => (
            <Table.Tr key={w.id}>
              <Table.Td>
                <Code>{w.url}</Code>
              </Table.Td>
              <Table.Td>{t(`admin.webhooks.topics.${w.topic}`)}</Table.Td>
              <Table.Td>
                <Badge
                  c="dark.8"
                  variant="light"
                  color={w.status === 'active' ? 'green' : 'orange'}
                >
                  {t(`admin.webhooks.status.${w.status}`)}
                </Badge>
                {w.failingSince && (
                  <Text size="xs">
                    {t('admin.webhooks.failingSince', {
                      at: formatTime(w.failingSince, i18n.language),
                    })}
                  </Text>
                )}
                {w.pausedReason && <Text size="xs">{w.pausedReason}</Text>}
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="default" onClick={() => setShown(w)}>
                    {t('admin.webhooks.log')}
                  </Button>
                  {w.status === 'paused' && (
                    <Button
                      size="xs"
                      variant="default"
                      onClick={rows.run(async () => {
                        await hub.mutate(RESUME, { id: w.id });
                        reload();
                      })}
                    >
                      {t('admin.webhooks.resume')}
                    </Button>
                  )}
                  <Button
                    size="xs"
                    variant="default"
                    color="red"
                    onClick={rows.run(async () => {
                      await stepUp(() => hub.mutate(DELETE, { id: w.id }));
                      if (shown?.id === w.id) setShown(null);
                      reload();
                    })}
                  >
                    {t('admin.webhooks.delete')}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {shown && <DeliveryLog id={shown.id} url={shown.url} />}
    </Stack>
  );
}
