import { Anchor, Button, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useHub } from '../../api/use-hub';
import { ErrorAlert } from '../../components/error-alert';
import { TLP_LABEL, TlpLabel } from '../../components/tlp-banner';
import { graphql } from '../../gql';

const REPORT_LISTS = graphql(`
  query ReportLists($reportId: ID!) {
    indicatorLists(first: 25, filter: { reportId: $reportId }) {
      edges {
        node {
          id
          name
          tlp
          status
          liveEntries
          author {
            label
          }
        }
      }
    }
  }
`);
const LINKABLE = graphql(`
  query LinkableLists {
    indicatorLists(first: 100, filter: { ownOnly: true, status: PUBLISHED }) {
      edges {
        node {
          id
          name
          tlp
          reportId
        }
      }
    }
  }
`);
const LINK = graphql(`
  mutation LinkListToReport($id: ID!, $reportId: ID!) {
    updateIndicatorList(id: $id, input: { reportId: $reportId }) {
      id
      reportId
    }
  }
`);

/** The lists naming a report, as the hub shows this reader the link (a withheld link is absent). */
export function LinkedLists({ reportId }: { reportId: string }) {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: REPORT_LISTS, variables: { reportId } });
  const lists = data?.indicatorLists.edges.map((e) => e.node) ?? [];
  return (
    <Card withBorder component="section" aria-labelledby="linked-lists-title" id="linked-lists">
      <Title order={2} size="h4" id="linked-lists-title" mb="xs">
        {t('lists.report.lists')}
      </Title>
      <ErrorAlert error={error} />
      {data && lists.length === 0 && <Text c="dimmed">{t('lists.report.noLists')}</Text>}
      {lists.length > 0 && (
        <Table aria-labelledby="linked-lists-title">
          <Table.Tbody>
            {lists.map((l) => (
              <Table.Tr key={l.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/lists/${l.id}`} size="sm">
                    {l.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <TlpLabel tlp={l.tlp} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{l.author.label}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t('lists.page.liveEntries', { count: l.liveEntries })}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

/** In the editor: the author's own lists that name this report, and linking another one. */
export function ReportListsEditor({ reportId }: { reportId: string | undefined }) {
  const { t } = useTranslation();
  const hub = useHub();
  const [{ data, error }, refetch] = useQuery({ query: LINKABLE, pause: !reportId });
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const own = data?.indicatorLists.edges.map((e) => e.node) ?? [];
  const linked = own.filter((l) => l.reportId === reportId);
  const free = own.filter((l) => !l.reportId);

  async function link(e: FormEvent) {
    e.preventDefault();
    if (!reportId || !chosen) return;
    setBusy(true);
    setFailure(null);
    setNote(null);
    try {
      await hub.mutate(LINK, { id: chosen, reportId });
      setNote(t('lists.report.linked', { name: own.find((l) => l.id === chosen)?.name ?? '' }));
      setChosen(null);
      refetch({ requestPolicy: 'network-only' });
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card withBorder component="section" aria-labelledby="report-lists-title" id="report-lists">
      <Title order={2} size="h5" id="report-lists-title" mb="xs">
        {t('lists.report.linkTitle')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {reportId ? t('lists.report.linkHint') : t('lists.report.saveFirst')}
      </Text>
      {reportId && (
        <Stack gap="xs">
          <ErrorAlert error={error} />
          {linked.map((l) => (
            <Group key={l.id} gap="xs">
              <Anchor component={Link} to={`/lists/${l.id}`} size="sm">
                {l.name}
              </Anchor>
              <TlpLabel tlp={l.tlp} />
            </Group>
          ))}
          <form onSubmit={(e) => void link(e)}>
            <Group align="end">
              <Select
                label={t('lists.report.link')}
                value={chosen}
                onChange={setChosen}
                searchable
                data={free.map((l) => ({ value: l.id, label: `${l.name} (${TLP_LABEL[l.tlp]})` }))}
                w={320}
              />
              <Button type="submit" variant="default" loading={busy} disabled={!chosen}>
                {t('lists.report.linkSubmit')}
              </Button>
            </Group>
          </form>
          {note && (
            <Text size="sm" role="status">
              {note}
            </Text>
          )}
          <ErrorAlert error={failure} />
        </Stack>
      )}
    </Card>
  );
}
