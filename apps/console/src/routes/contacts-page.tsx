import {
  Alert,
  Button,
  Card,
  Group,
  Select,
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
import { useQuery } from 'urql';
import { formatTime } from '../api/labels';
import { useSession } from '../api/session';
import { useHub } from '../api/use-hub';
import { AudienceFields, audienceOf, type AudienceValue } from '../components/audience-fields';
import { ErrorAlert } from '../components/error-alert';
import { useIsCoordinator } from '../components/exercise-banner';
import { TLP_LABEL, TlpLabel } from '../components/tlp-banner';
import { graphql } from '../gql';
import type { ContactDirectoryQuery, Tlp } from '../gql/graphql';

const DIRECTORY = graphql(`
  query ContactDirectory {
    contactDirectory {
      organisationId
      organisationName
      tlp
      phone
      email
      openpgpKey
      hours
      escalation
      lastConfirmedAt
      confirmationOverdue
      audience {
        sectorCodes
        organisationIds
        groupIds
      }
    }
  }
`);
const REMINDERS = graphql(`
  query ContactReminders {
    contactReminders {
      organisationId
      organisationName
      lastConfirmedAt
    }
  }
`);
const SET_CONTACT = graphql(`
  mutation SetContact($input: ContactInput!) {
    setContact(input: $input) {
      organisationId
      lastConfirmedAt
    }
  }
`);
const CONFIRM_CONTACT = graphql(`
  mutation ConfirmContact {
    confirmContact {
      organisationId
      lastConfirmedAt
    }
  }
`);

type Entry = ContactDirectoryQuery['contactDirectory'][number];
/** RED names individual people, so the hub refuses it for an organisation's entry. */
const ENTRY_TLPS: Tlp[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT'];
const FIELDS = ['phone', 'email', 'hours', 'escalation', 'openpgpKey'] as const;
type Field = (typeof FIELDS)[number];
type Form = Record<Field, string> & { tlp: Tlp; audience: AudienceValue };

function formOf(e: Entry | undefined): Form {
  return {
    phone: e?.phone ?? '',
    email: e?.email ?? '',
    hours: e?.hours ?? '',
    escalation: e?.escalation ?? '',
    openpgpKey: e?.openpgpKey ?? '',
    tlp: e?.tlp ?? 'GREEN',
    audience: audienceOf(e?.audience),
  };
}

/**
 * The contact directory (顔の見える関係): one's own entry (kept by org admins; saving confirms
 * it), the entries of others the hub lets the reader see, and for the coordinator who owes the
 * yearly confirmation.
 */
export function ContactsPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const coordinator = useIsCoordinator();
  const [{ data, error }, refetch] = useQuery({ query: DIRECTORY });
  const [reminders] = useQuery({ query: REMINDERS, pause: !coordinator });
  const ownId = session.me.organisation.id;
  const own = data?.contactDirectory.find((e) => e.organisationId === ownId);
  const others = (data?.contactDirectory ?? []).filter((e) => e.organisationId !== ownId);
  const admin = session.me.role === 'ORG_ADMIN' || session.me.role === 'HUB_ADMIN';
  const lang = i18n.language;

  return (
    <Stack maw={1200}>
      <Title order={1} size="h2">
        {t('sector.contacts.title')}
      </Title>
      <Text size="sm">{t('sector.contacts.intro')}</Text>
      <ErrorAlert error={error} />
      {data && (
        <OwnEntry
          entry={own}
          admin={admin}
          onSaved={() => refetch({ requestPolicy: 'network-only' })}
        />
      )}
      <section aria-labelledby="directory-title">
        <Title order={2} size="h4" id="directory-title">
          {t('sector.contacts.directoryTitle')}
        </Title>
        {data && others.length === 0 ? (
          <Text c="dimmed">{t('sector.contacts.directoryEmpty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table id="contact-table" striped verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('sector.contacts.colOrganisation')}</Table.Th>
                  <Table.Th>{t('sector.contacts.colPhone')}</Table.Th>
                  <Table.Th>{t('sector.contacts.colEmail')}</Table.Th>
                  <Table.Th>{t('sector.contacts.colHours')}</Table.Th>
                  <Table.Th>{t('sector.contacts.colEscalation')}</Table.Th>
                  <Table.Th>{t('sector.contacts.colConfirmed')}</Table.Th>
                  <Table.Th>{t('sector.contacts.colMarking')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {others.map((e) => (
                  <Table.Tr key={e.organisationId} data-organisation={e.organisationName}>
                    <Table.Td>
                      <Text size="sm" fw={700}>
                        {e.organisationName}
                      </Text>
                      {e.openpgpKey && (
                        <details>
                          <summary>
                            <Text span size="xs">
                              {t('sector.contacts.keyShown')}
                            </Text>
                          </summary>
                          <Text component="pre" size="xs" style={{ whiteSpace: 'pre-wrap' }}>
                            {e.openpgpKey}
                          </Text>
                        </details>
                      )}
                    </Table.Td>
                    <Table.Td>{e.phone ?? '—'}</Table.Td>
                    <Table.Td>{e.email ?? '—'}</Table.Td>
                    <Table.Td>{e.hours ?? '—'}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{e.escalation ?? '—'}</Table.Td>
                    <Table.Td>
                      {formatTime(e.lastConfirmedAt, lang)}
                      {e.confirmationOverdue && (
                        <Text size="xs" c="red.9" fw={700}>
                          {t('sector.contacts.overdueReader')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <TlpLabel tlp={e.tlp} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>
      {coordinator && (
        <section aria-labelledby="reminders-title">
          <Title order={2} size="h4" id="reminders-title">
            {t('sector.contacts.remindersTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('sector.contacts.remindersIntro')}
          </Text>
          <ErrorAlert error={reminders.error} />
          {reminders.data?.contactReminders.length === 0 ? (
            <Text>{t('sector.contacts.remindersEmpty')}</Text>
          ) : (
            <Table id="reminder-table" verticalSpacing={4} maw={700}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('sector.contacts.colOrganisation')}</Table.Th>
                  <Table.Th>{t('sector.contacts.colConfirmed')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(reminders.data?.contactReminders ?? []).map((r) => (
                  <Table.Tr key={r.organisationId}>
                    <Table.Td>{r.organisationName}</Table.Td>
                    <Table.Td>
                      {r.lastConfirmedAt
                        ? formatTime(r.lastConfirmedAt, lang)
                        : t('sector.contacts.neverConfirmed')}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </section>
      )}
    </Stack>
  );
}

function OwnEntry({
  entry,
  admin,
  onSaved,
}: {
  entry: Entry | undefined;
  admin: boolean;
  onSaved: () => void;
}) {
  const { t, i18n } = useTranslation();
  const hub = useHub();
  const [form, setForm] = useState<Form>(() => formOf(entry));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  // The entry arrives (or changes) after the first render: the form follows what the hub holds.
  useEffect(() => setForm(formOf(entry)), [entry]);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));

  const act = (action: () => Promise<string>) => async (ev?: FormEvent) => {
    ev?.preventDefault();
    setBusy(true);
    setError(null);
    setNote('');
    try {
      setNote(await action());
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const confirmation = entry && (
    <Group gap="sm" id="own-confirmation">
      <Text size="sm">
        {t('sector.contacts.lastConfirmed', {
          date: formatTime(entry.lastConfirmedAt, i18n.language),
        })}
      </Text>
      {entry.confirmationOverdue && (
        <Alert color="red" role="alert" id="overdue-warning" py={4}>
          {t('sector.contacts.overdue')}
        </Alert>
      )}
    </Group>
  );

  if (!admin) {
    return (
      <Card withBorder component="section" aria-labelledby="own-title" id="own-entry">
        <Title order={2} size="h4" id="own-title">
          {t('sector.contacts.ownTitle')}
        </Title>
        {entry ? (
          <Stack gap={4}>
            {FIELDS.map((f) =>
              entry[f] ? (
                <Text size="sm" key={f} style={{ whiteSpace: 'pre-wrap' }}>
                  <strong>{t(`sector.contacts.${f}`)}:</strong> {entry[f]}
                </Text>
              ) : null,
            )}
            <Text size="sm">
              <strong>{t('sector.contacts.marking')}:</strong> {TLP_LABEL[entry.tlp]}
            </Text>
            {confirmation}
          </Stack>
        ) : (
          <Text c="dimmed">{t('sector.contacts.noneReader')}</Text>
        )}
      </Card>
    );
  }

  const amber = form.tlp === 'AMBER' || form.tlp === 'AMBER_STRICT';
  return (
    <Card withBorder component="section" aria-labelledby="own-title" id="own-entry">
      <Title order={2} size="h4" id="own-title">
        {t('sector.contacts.ownTitle')}
      </Title>
      {!entry && <Text c="dimmed">{t('sector.contacts.none')}</Text>}
      {confirmation}
      {entry && (
        <Group gap="sm" my="xs">
          <Text size="sm" fw={700}>
            {t('sector.contacts.stillCorrect')}
          </Text>
          <Button
            size="xs"
            variant="outline"
            loading={busy}
            id="confirm-contact"
            onClick={act(async () => {
              await hub.mutate(CONFIRM_CONTACT, {});
              return t('sector.contacts.confirmed');
            })}
          >
            {t('sector.contacts.confirm')}
          </Button>
        </Group>
      )}
      <form
        id="contact-form"
        onSubmit={act(async () => {
          await hub.mutate(SET_CONTACT, {
            input: {
              phone: form.phone,
              email: form.email,
              hours: form.hours,
              escalation: form.escalation,
              openpgpKey: form.openpgpKey,
              tlp: form.tlp,
              audience: amber ? form.audience : null,
            },
          });
          return t('sector.contacts.saved');
        })}
      >
        <Stack gap="xs">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('sector.contacts.phone')}
              type="tel"
              value={form.phone}
              onChange={(e) => set('phone', e.currentTarget.value)}
            />
            <TextInput
              label={t('sector.contacts.email')}
              type="email"
              value={form.email}
              onChange={(e) => set('email', e.currentTarget.value)}
            />
            <TextInput
              label={t('sector.contacts.hours')}
              description={t('sector.contacts.hoursHint')}
              value={form.hours}
              onChange={(e) => set('hours', e.currentTarget.value)}
            />
            <Textarea
              label={t('sector.contacts.escalation')}
              description={t('sector.contacts.escalationHint')}
              autosize
              minRows={2}
              value={form.escalation}
              onChange={(e) => set('escalation', e.currentTarget.value)}
            />
          </SimpleGrid>
          <Textarea
            label={t('sector.contacts.openpgpKey')}
            autosize
            minRows={2}
            maxRows={8}
            styles={{ input: { fontFamily: 'ui-monospace, monospace' } }}
            value={form.openpgpKey}
            onChange={(e) => set('openpgpKey', e.currentTarget.value)}
          />
          <Select
            label={t('sector.contacts.marking')}
            description={t('sector.contacts.markingHint')}
            value={form.tlp}
            onChange={(v) => v && set('tlp', v as Tlp)}
            data={ENTRY_TLPS.map((x) => ({ value: x, label: TLP_LABEL[x] }))}
            allowDeselect={false}
            maw={320}
          />
          {amber && <AudienceFields value={form.audience} onChange={(a) => set('audience', a)} />}
          <Group>
            <Button type="submit" loading={busy}>
              {t('sector.contacts.save')}
            </Button>
          </Group>
        </Stack>
      </form>
      {note && (
        <Text size="sm" role="status" id="contact-note" mt="xs">
          {note}
        </Text>
      )}
      <ErrorAlert error={error} />
    </Card>
  );
}
