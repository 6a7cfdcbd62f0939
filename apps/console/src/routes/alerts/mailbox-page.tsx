import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { formatTime } from '../../api/labels';
import { ErrorAlert } from '../../components/error-alert';
import { TlpLabel } from '../../components/tlp-banner';
import { graphql } from '../../gql';
import type { Tlp } from '../../gql/graphql';

const MAILBOX = graphql(`
  query Mailbox {
    myMailbox(first: 50) {
      id
      subject
      body
      createdAt
    }
  }
`);

const LABEL = /TLP:(CLEAR|GREEN|AMBER\+STRICT|AMBER|RED)/;
const URL_IN_TEXT = /https?:\/\/[^\s<>"]+/g;

/** The marking a message's subject names (the hub puts FIRST's label there, ADR 0021). */
function markingOf(subject: string): Tlp | null {
  const m = LABEL.exec(subject);
  return m ? (m[1].replace('+', '_') as Tlp) : null;
}

/**
 * The body as the hub wrote it, with each link to a report turned into a link inside the
 * console: the mail names the hub's public address, which may not be the one this browser uses.
 */
function BodyText({ body, openLabel }: { body: string; openLabel: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const m of body.matchAll(URL_IN_TEXT)) {
    const at = m.index ?? 0;
    parts.push(body.slice(last, at));
    const path = new URL(m[0]).pathname;
    parts.push(
      path.startsWith('/reports/') ? (
        <Anchor component={Link} to={path} key={at} aria-label={`${openLabel}: ${m[0]}`}>
          {m[0]}
        </Anchor>
      ) : (
        m[0]
      ),
    );
    last = at + m[0].length;
  }
  parts.push(body.slice(last));
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {parts.map((p, i) => (
        <Fragment key={i}>{p}</Fragment>
      ))}
    </Text>
  );
}

/** Mail the hub kept for this person because it has no SMTP server; newest first. */
export function MailboxPage() {
  const { t, i18n } = useTranslation();
  const [{ data, error }] = useQuery({ query: MAILBOX, requestPolicy: 'network-only' });
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Text>{t('app.loading')}</Text>;
  return (
    <Stack maw={900}>
      <Title order={1} size="h2">
        {t('alerts.mailbox.title')}
      </Title>
      <Text size="sm">{t('alerts.mailbox.intro')}</Text>
      {data.myMailbox.length === 0 && <Text c="dimmed">{t('alerts.mailbox.empty')}</Text>}
      {data.myMailbox.map((m) => {
        const tlp = markingOf(m.subject);
        return (
          <Card
            key={m.id}
            withBorder
            padding="sm"
            component="article"
            aria-labelledby={`mail-${m.id}`}
            data-mail={m.id}
          >
            <Group gap="xs" wrap="nowrap" align="baseline">
              {tlp && <TlpLabel tlp={tlp} />}
              <Title order={2} size="h5" id={`mail-${m.id}`}>
                {m.subject}
              </Title>
            </Group>
            <Text size="xs" c="dimmed" mb="xs">
              {t('alerts.mailbox.received', { when: formatTime(m.createdAt, i18n.language) })}
            </Text>
            <BodyText body={m.body} openLabel={t('alerts.mailbox.open')} />
          </Card>
        );
      })}
    </Stack>
  );
}
