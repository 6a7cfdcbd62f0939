import { Anchor, Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { formatTime } from '../../api/labels';
import { ErrorAlert } from '../../components/error-alert';
import { graphql } from '../../gql';

const REQUESTS = graphql(`
  query AssistanceRequests {
    assistanceRequests {
      id
      body
      status
      createdAt
      requester {
        label
        own
      }
      responses {
        id
      }
    }
  }
`);

/** What a row shows of a request's text: enough to recognise it. */
const excerpt = (body: string) => (body.length > 90 ? `${body.slice(0, 90)}…` : body);

/** Requests the person's organisation made or was asked, newest first (the hub's order). */
export function AssistanceListPage() {
  const { t, i18n } = useTranslation();
  const [{ data, error }] = useQuery({ query: REQUESTS, requestPolicy: 'cache-and-network' });
  return (
    <Stack maw={1100}>
      <Title order={1} size="h2">
        {t('sector.assistance.title')}
      </Title>
      <Text size="sm">{t('sector.assistance.intro')}</Text>
      <Text size="sm" c="dimmed">
        {t('sector.assistance.askFromReport')}
      </Text>
      <ErrorAlert error={error} />
      {data && data.assistanceRequests.length === 0 ? (
        <Text c="dimmed">{t('sector.assistance.empty')}</Text>
      ) : (
        <Table id="assistance-table" striped verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sector.assistance.body')}</Table.Th>
              <Table.Th>{t('sector.assistance.colFrom')}</Table.Th>
              <Table.Th>{t('sector.assistance.colStatus')}</Table.Th>
              <Table.Th>{t('sector.assistance.colResponses')}</Table.Th>
              <Table.Th>{t('sector.assistance.colWhen')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data?.assistanceRequests ?? []).map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/assistance/${r.id}`} size="sm">
                    {excerpt(r.body)}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {r.requester.label}
                    {r.requester.own && (
                      <Badge ml="xs" size="xs" variant="outline" color="dark">
                        {t('sector.assistance.mine')}
                      </Badge>
                    )}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={r.status} />
                </Table.Td>
                <Table.Td>{r.responses.length}</Table.Td>
                <Table.Td>
                  <Text size="sm">{formatTime(r.createdAt, i18n.language)}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

export function StatusBadge({ status }: { status: 'OPEN' | 'CLOSED' }) {
  const { t } = useTranslation();
  return (
    <Badge color={status === 'OPEN' ? 'blue.9' : 'gray.7'} variant="filled">
      {status === 'OPEN' ? t('sector.assistance.open') : t('sector.assistance.closed')}
    </Badge>
  );
}
