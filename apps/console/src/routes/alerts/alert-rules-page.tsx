import {
  Alert,
  Button,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { formatTime, TLPS, useNames } from '../../api/labels';
import { useHub } from '../../api/use-hub';
import { ErrorAlert } from '../../components/error-alert';
import { TLP_LABEL } from '../../components/tlp-banner';
import { graphql } from '../../gql';
import type {
  AlertDelivery,
  AlertRuleInput,
  AlertRulesQuery,
  Language,
  ListEventKind,
  ReportEventKind,
  ReportKind,
  Tlp,
  WebhookTopic,
} from '../../gql/graphql';
import { Section, useAction } from '../../components/section';

const RULES = graphql(`
  query AlertRules {
    myAlertRules {
      id
      topic
      delivery
      paused
      createdAt
      reportFilter {
        kinds
        markings
        sectors
        categories
        events
      }
      listFilter {
        markings
        sectors
        events
      }
    }
    myAlertSends(first: 25) {
      id
      ruleId
      period
      status
      events
      attempts
      lastError
      nextAttemptAt
      sentAt
    }
    myLanguage
  }
`);
const CREATE_ALERT_RULE = graphql(`
  mutation CreateAlertRule($input: AlertRuleInput!) {
    createAlertRule(input: $input) {
      id
    }
  }
`);
const UPDATE = graphql(`
  mutation UpdateAlertRule($id: ID!, $input: AlertRuleInput!) {
    updateAlertRule(id: $id, input: $input) {
      id
    }
  }
`);
const DELETE = graphql(`
  mutation DeleteAlertRule($id: ID!) {
    deleteAlertRule(id: $id)
  }
`);
const PAUSE = graphql(`
  mutation PauseAlertRule($id: ID!, $paused: Boolean!) {
    pauseAlertRule(id: $id, paused: $paused) {
      id
      paused
    }
  }
`);
const SET_LANGUAGE = graphql(`
  mutation SetAlertLanguage($language: Language!) {
    setMyLanguage(language: $language)
  }
`);
const SEND_NOW = graphql(`
  mutation SendMyDigestsNow {
    sendMyDigestsNow
  }
`);

type Rule = AlertRulesQuery['myAlertRules'][number];

const DELIVERIES: AlertDelivery[] = [
  'IMMEDIATE' as AlertDelivery,
  'DAILY' as AlertDelivery,
  'WEEKLY' as AlertDelivery,
];
const KINDS = ['INCIDENT', 'NEAR_MISS', 'ADVISORY'] as const;
const REPORT_EVENTS = [
  'PUBLISHED',
  'UPDATED',
  'RETRACTED',
  'COMMENT_ADDED',
  'SIGHTING_ADDED',
] as const;
const LIST_EVENTS = [
  'CREATED',
  'UPDATED',
  'ENTRIES_ADDED',
  'ENTRIES_REMOVED',
  'EXPIRED',
  'RETRACTED',
] as const;

/** The form's state: every filter as chosen lists; empty means "any". */
interface Draft {
  topic: WebhookTopic;
  delivery: AlertDelivery;
  kinds: string[];
  markings: string[];
  sectors: string[];
  categories: string[];
  events: string[];
}

const EMPTY: Draft = {
  topic: 'REPORTS' as WebhookTopic,
  delivery: 'IMMEDIATE' as AlertDelivery,
  kinds: [],
  markings: [],
  sectors: [],
  categories: [],
  events: [],
};

const some = <T,>(xs: T[]): T[] | undefined => (xs.length ? xs : undefined);

/** The API's input for a draft: only the topic's own filter, with empty choices left out. */
function alertRuleInput(d: Draft): AlertRuleInput {
  if (d.topic === 'LISTS') {
    return {
      topic: d.topic,
      delivery: d.delivery,
      listFilter: {
        markings: some(d.markings as Tlp[]),
        sectors: some(d.sectors),
        events: some(d.events as ListEventKind[]),
      },
    };
  }
  return {
    topic: d.topic,
    delivery: d.delivery,
    reportFilter: {
      kinds: some(d.kinds as ReportKind[]),
      markings: some(d.markings as Tlp[]),
      sectors: some(d.sectors),
      categories: some(d.categories),
      events: some(d.events as ReportEventKind[]),
    },
  };
}

function draftOf(r: Rule): Draft {
  const f = r.topic === 'LISTS' ? r.listFilter : r.reportFilter;
  return {
    topic: r.topic,
    delivery: r.delivery,
    kinds: (r.reportFilter?.kinds as string[] | null) ?? [],
    markings: (f?.markings as string[] | null) ?? [],
    sectors: f?.sectors ?? [],
    categories: r.reportFilter?.categories ?? [],
    events: (f?.events as string[] | null) ?? [],
  };
}

/** The person's e-mail alert rules, their language and how sending went (ADR 0021). */
export function AlertRulesPage() {
  const { t, i18n } = useTranslation();
  const names = useNames();
  const hub = useHub();
  const [{ data, error }, refetch] = useQuery({ query: RULES, requestPolicy: 'network-only' });
  const [editing, setEditing] = useState<{ id: string | null; draft: Draft } | null>(null);
  const [deleting, setDeleting] = useState<Rule | null>(null);
  const [notice, setNotice] = useState('');
  const form = useAction();
  const action = useAction();
  const reload = () => refetch({ requestPolicy: 'network-only' });

  const save = form.run(async () => {
    if (!editing) return;
    const input = alertRuleInput(editing.draft);
    if (editing.id) await hub.mutate(UPDATE, { id: editing.id, input });
    else await hub.mutate(CREATE_ALERT_RULE, { input });
    setEditing(null);
    setNotice(t('alerts.form.saved'));
    reload();
  });

  const summary = (r: Rule): string => {
    const d = draftOf(r);
    const parts = [
      ...d.kinds.map((k) => t(`alerts.kind.${k}`)),
      ...d.markings.map((m) => TLP_LABEL[m as Tlp]),
      ...d.sectors.map((s) => names.sector(s)),
      ...d.categories.map((c) => names.category(c)),
      ...d.events.map((e) =>
        t(r.topic === 'LISTS' ? `alerts.listEvent.${e}` : `alerts.reportEvent.${e}`),
      ),
    ];
    return parts.length ? parts.join(' · ') : t('alerts.rules.anything');
  };

  const periodText = (period: string): string => {
    const [kind, rest = ''] = period.split(':');
    const date = rest.split('#')[0];
    if (kind === 'daily') return t('alerts.sends.period.daily', { date });
    if (kind === 'weekly') return t('alerts.sends.period.weekly', { date });
    return t('alerts.sends.period.event');
  };

  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Text>{t('app.loading')}</Text>;
  const rules = data.myAlertRules;
  const draft = editing?.draft;
  const setDraft = (patch: Partial<Draft>) =>
    setEditing((e) => (e ? { ...e, draft: { ...e.draft, ...patch } } : e));
  const anyLabel = t('alerts.form.any');

  return (
    <Stack maw={1100}>
      <Title order={1} size="h2">
        {t('alerts.rules.title')}
      </Title>
      <Text size="sm">{t('alerts.rules.intro')}</Text>
      {notice && (
        <Alert
          color="green"
          role="status"
          withCloseButton
          closeButtonLabel={t('alerts.rules.dismiss')}
          onClose={() => setNotice('')}
        >
          {notice}
        </Alert>
      )}
      <ErrorAlert error={action.error} />
      <Group align="end">
        <Select
          label={t('alerts.rules.language')}
          value={data.myLanguage}
          allowDeselect={false}
          data={(['JA', 'EN'] as const).map((l) => ({
            value: l,
            label: t(`alerts.language.${l}`),
          }))}
          onChange={(v) =>
            v &&
            void action.run(async () => {
              await hub.mutate(SET_LANGUAGE, { language: v as Language });
              setNotice(t('alerts.rules.languageSaved'));
              reload();
            })()
          }
          w={220}
        />
        <Button onClick={() => setEditing({ id: null, draft: EMPTY })}>
          {t('alerts.rules.add')}
        </Button>
        {rules.some((r) => r.delivery !== 'IMMEDIATE') && (
          <Button
            variant="default"
            loading={action.busy}
            onClick={() =>
              void action.run(async () => {
                const sent = (await hub.mutate(SEND_NOW, {})).sendMyDigestsNow;
                setNotice(t('alerts.rules.sentNow', { count: sent }));
                reload();
              })()
            }
          >
            {t('alerts.rules.sendNow')}
          </Button>
        )}
      </Group>
      {rules.length === 0 ? (
        <Text c="dimmed">{t('alerts.rules.empty')}</Text>
      ) : (
        <Table striped verticalSpacing={4} id="alert-rules" aria-label={t('alerts.rules.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('alerts.rules.colTopic')}</Table.Th>
              <Table.Th>{t('alerts.rules.colFilter')}</Table.Th>
              <Table.Th>{t('alerts.rules.colDelivery')}</Table.Th>
              <Table.Th>{t('alerts.rules.colCreated')}</Table.Th>
              <Table.Th>{t('alerts.rules.colActions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rules.map((r) => (
              <Table.Tr key={r.id} data-rule={r.id}>
                <Table.Td>{t(`alerts.topic.${r.topic}`)}</Table.Td>
                <Table.Td>
                  <Text size="sm">{summary(r)}</Text>
                </Table.Td>
                <Table.Td>
                  {t(`alerts.delivery.${r.delivery}`)}
                  {r.paused && (
                    <Text size="xs" fw={600}>
                      {t('alerts.rules.paused')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{formatTime(r.createdAt, i18n.language)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => setEditing({ id: r.id, draft: draftOf(r) })}
                    >
                      {t('alerts.rules.edit')}
                    </Button>
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() =>
                        void action.run(async () => {
                          await hub.mutate(PAUSE, { id: r.id, paused: !r.paused });
                          setNotice('');
                          reload();
                        })()
                      }
                    >
                      {r.paused ? t('alerts.rules.resume') : t('alerts.rules.pause')}
                    </Button>
                    <Button
                      size="xs"
                      variant="outline"
                      color="red.9"
                      onClick={() => setDeleting(r)}
                    >
                      {t('alerts.rules.delete')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <Section id="alert-sends" title={t('alerts.sends.title')}>
        {data.myAlertSends.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('alerts.sends.empty')}
          </Text>
        ) : (
          <Table verticalSpacing={4} aria-labelledby="alert-sends-title">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('alerts.sends.colPeriod')}</Table.Th>
                <Table.Th>{t('alerts.sends.colStatus')}</Table.Th>
                <Table.Th>{t('alerts.sends.colEvents')}</Table.Th>
                <Table.Th>{t('alerts.sends.colAttempts')}</Table.Th>
                <Table.Th>{t('alerts.sends.colWhen')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.myAlertSends.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{periodText(s.period)}</Table.Td>
                  <Table.Td>
                    <Text
                      size="sm"
                      fw={600}
                      c={s.lastError && s.status !== 'sent' ? 'red.9' : undefined}
                    >
                      {t(`alerts.sends.status.${s.status as 'pending' | 'sent' | 'skipped'}`, {
                        defaultValue: s.status,
                      })}
                    </Text>
                    {s.lastError && s.status !== 'sent' && (
                      <Text size="xs" c="red.9" mt={2}>
                        {t('alerts.sends.failed', { error: s.lastError })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{s.events}</Table.Td>
                  <Table.Td>{s.attempts}</Table.Td>
                  <Table.Td>{formatTime(s.sentAt ?? s.nextAttemptAt, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>

      <Modal
        opened={!!editing}
        onClose={() => setEditing(null)}
        title={editing?.id ? t('alerts.form.editTitle') : t('alerts.form.createTitle')}
        closeButtonProps={{ 'aria-label': t('alerts.rules.cancel') }}
        size="lg"
        centered
      >
        {draft && (
          <Stack component="form" onSubmit={save} gap="sm">
            <Select
              label={t('alerts.form.topic')}
              allowDeselect={false}
              value={draft.topic}
              onChange={(v) =>
                v && setDraft({ topic: v as WebhookTopic, kinds: [], categories: [], events: [] })
              }
              data={(['REPORTS', 'LISTS'] as const).map((x) => ({
                value: x,
                label: t(`alerts.topic.${x}`),
              }))}
            />
            <Select
              label={t('alerts.form.delivery')}
              allowDeselect={false}
              value={draft.delivery}
              onChange={(v) => v && setDraft({ delivery: v as AlertDelivery })}
              data={DELIVERIES.map((x) => ({ value: x, label: t(`alerts.delivery.${x}`) }))}
            />
            {draft.topic === 'REPORTS' && (
              <MultiSelect
                label={t('alerts.form.kinds')}
                placeholder={draft.kinds.length ? undefined : anyLabel}
                value={draft.kinds}
                onChange={(kinds) => setDraft({ kinds })}
                data={KINDS.map((k) => ({ value: k, label: t(`alerts.kind.${k}`) }))}
                clearable
              />
            )}
            <MultiSelect
              label={t('alerts.form.markings')}
              placeholder={draft.markings.length ? undefined : anyLabel}
              value={draft.markings}
              onChange={(markings) => setDraft({ markings })}
              data={TLPS.map((x) => ({ value: x, label: TLP_LABEL[x as Tlp] }))}
              clearable
            />
            <MultiSelect
              label={
                draft.topic === 'LISTS' ? t('alerts.form.listSectors') : t('alerts.form.sectors')
              }
              placeholder={draft.sectors.length ? undefined : anyLabel}
              value={draft.sectors}
              onChange={(sectors) => setDraft({ sectors })}
              data={names.sectors.map((s) => ({ value: s.code, label: names.sector(s.code) }))}
              searchable
              clearable
            />
            {draft.topic === 'REPORTS' && (
              <MultiSelect
                label={t('alerts.form.categories')}
                placeholder={draft.categories.length ? undefined : anyLabel}
                value={draft.categories}
                onChange={(categories) => setDraft({ categories })}
                data={names.categories.map((c) => ({
                  value: c.code,
                  label: names.category(c.code),
                }))}
                searchable
                clearable
              />
            )}
            <MultiSelect
              label={t('alerts.form.events')}
              placeholder={draft.events.length ? undefined : anyLabel}
              value={draft.events}
              onChange={(events) => setDraft({ events })}
              data={(draft.topic === 'LISTS' ? LIST_EVENTS : REPORT_EVENTS).map((e) => ({
                value: e,
                label: t(
                  draft.topic === 'LISTS' ? `alerts.listEvent.${e}` : `alerts.reportEvent.${e}`,
                ),
              }))}
              clearable
            />
            <ErrorAlert error={form.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setEditing(null)}>
                {t('alerts.rules.cancel')}
              </Button>
              <Button type="submit" loading={form.busy}>
                {editing?.id ? t('alerts.form.save') : t('alerts.form.create')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>

      <Modal
        opened={!!deleting}
        onClose={() => setDeleting(null)}
        title={t('alerts.rules.deleteTitle')}
        closeButtonProps={{ 'aria-label': t('alerts.rules.cancel') }}
        centered
      >
        <Stack gap="sm">
          <Text size="sm">{t('alerts.rules.deleteText')}</Text>
          <ErrorAlert error={action.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              {t('alerts.rules.cancel')}
            </Button>
            <Button
              color="red"
              loading={action.busy}
              onClick={() =>
                void action.run(async () => {
                  if (deleting) await hub.mutate(DELETE, { id: deleting.id });
                  setDeleting(null);
                  setNotice('');
                  reload();
                })()
              }
            >
              {t('alerts.rules.confirmDelete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
