import { Button, Checkbox, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';
import { useSession } from '../../api/session';
import { useHub } from '../../api/use-hub';
import { DirectoryPicker } from '../../components/directory-picker';
import { ErrorAlert } from '../../components/error-alert';
import { TlpBanner } from '../../components/tlp-banner';
import { graphql } from '../../gql';

const REPORT = graphql(`
  query AssistanceReport($id: ID!) {
    report(id: $id) {
      id
      title
      tlp
      anonymous
      author {
        own
      }
    }
  }
`);
const ASK = graphql(`
  mutation RequestAssistance($input: AssistanceRequestInput!) {
    requestAssistance(input: $input) {
      id
    }
  }
`);

/** Asks the coordinator (always) and chosen peers for help on a report one can see. */
export function AssistanceAskPage() {
  const { reportId = '' } = useParams();
  const { t } = useTranslation();
  const hub = useHub();
  const navigate = useNavigate();
  const session = useSession();
  const [{ data, error }] = useQuery({ query: REPORT, variables: { id: reportId } });
  const [body, setBody] = useState('');
  const [peers, setPeers] = useState<string[]>([]);
  const [anonymous, setAnonymous] = useState(true);
  const [reveal, setReveal] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);

  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Text>{t('app.loading')}</Text>;
  const r = data.report;
  // Naming the requester (to peers or the coordinator) on one's own anonymous report would name
  // its author: the hub refuses it, so the form does not offer it.
  const mustStayAnonymous = r.anonymous && r.author.own;

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setBusy(true);
    setActionError(null);
    try {
      const res = await hub.mutate(ASK, {
        input: {
          reportId: r.id,
          body,
          organisationIds: peers,
          anonymous: anonymous || mustStayAnonymous,
          revealToCoordinators: anonymous && !mustStayAnonymous && reveal,
        },
      });
      void navigate(`/assistance/${res.requestAssistance.id}`);
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack maw={800}>
      <Title order={1} size="h2">
        {t('sector.assistance.askTitle')}
      </Title>
      <TlpBanner tlp={r.tlp} />
      <Text fw={700}>{t('sector.assistance.about', { title: r.title })}</Text>
      <Text size="sm">{t('sector.assistance.askIntro')}</Text>
      <form id="ask-form" onSubmit={(ev) => void submit(ev)}>
        <Stack>
          <Textarea
            label={t('sector.assistance.body')}
            required
            autosize
            minRows={4}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
          />
          <DirectoryPicker
            directory="organisations"
            label={t('sector.assistance.peers')}
            value={peers}
            onChange={setPeers}
            // The coordinator is always asked; one's own organisation is not a peer.
            exclude={{ ids: [session.me.organisation.id], kinds: ['COORDINATOR'] }}
          />
          <Checkbox
            label={t('sector.assistance.anonymous')}
            checked={anonymous || mustStayAnonymous}
            disabled={mustStayAnonymous}
            description={mustStayAnonymous ? t('sector.assistance.anonymousForced') : undefined}
            onChange={(e) => setAnonymous(e.currentTarget.checked)}
          />
          {anonymous && !mustStayAnonymous && (
            <Checkbox
              label={t('sector.assistance.reveal')}
              checked={reveal}
              onChange={(e) => setReveal(e.currentTarget.checked)}
            />
          )}
          <Button type="submit" loading={busy} w="fit-content">
            {t('sector.assistance.send')}
          </Button>
          <ErrorAlert error={actionError} />
        </Stack>
      </form>
    </Stack>
  );
}
