import { Button, Code, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { formatTime } from '../../api/labels';
import { useSession } from '../../api/session';
import { useHub } from '../../api/use-hub';
import { ErrorAlert } from '../../components/error-alert';
import { graphql } from '../../gql';
import type { AdminAuditQuery, AuditOutcome } from '../../gql/graphql';

const AUDIT = graphql(`
  query AdminAudit($after: String, $filter: AuditLogFilter) {
    auditLog(first: 50, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        node {
          id
          at
          action
          outcome
          actorUserId
          actorOrganisationId
          organisationId
          targetType
          targetId
          clientAddress
          detailsJson
        }
      }
    }
  }
`);
const PEOPLE = graphql(`
  query AdminAuditPeople($org: ID) {
    users(first: 50, filter: { organisationId: $org }) {
      edges {
        node {
          id
          displayName
          email
        }
      }
    }
    organisations(first: 50) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);
const PERSON = graphql(`
  query AdminAuditPerson($id: ID!) {
    user(id: $id) {
      id
      displayName
      email
    }
  }
`);

type Entry = AdminAuditQuery['auditLog']['edges'][number]['node'];
type Person = { displayName: string; email: string };
const OUTCOMES: AuditOutcome[] = ['SUCCESS', 'FAILURE', 'DENIED'];

/**
 * The audit trail with people's names and addresses in place of ids. Names come from the
 * hub's own user queries, so a person the reader may not see stays an id.
 */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  // query is stable across renders (the hook's object is not): effects depend on it alone.
  const { query } = useHub();
  const [outcome, setOutcome] = useState('');
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const [{ data: people }] = useQuery({
    query: PEOPLE,
    variables: { org: session.me.organisation.id },
  });
  const [extra, setExtra] = useState<Map<string, Person | null>>(new Map());
  const [entries, setEntries] = useState<Entry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    const filter = outcome ? { outcome: outcome as AuditOutcome } : undefined;
    (async () => {
      const all: Entry[] = [];
      let cursor: string | null = null;
      let count = 0;
      for (const after of pages) {
        const r = await query(AUDIT, { after, filter });
        all.push(...r.auditLog.edges.map((e) => e.node));
        cursor = r.auditLog.pageInfo.hasNextPage ? (r.auditLog.pageInfo.endCursor ?? null) : null;
        count = r.auditLog.totalCount;
      }
      if (!live) return;
      setEntries(all);
      setNext(cursor);
      setTotal(count);
    })().catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [pages, outcome, query]);

  const known = useMemo(() => {
    const m = new Map<string, Person>();
    for (const { node } of people?.users.edges ?? []) m.set(node.id, node);
    for (const [id, p] of extra) if (p) m.set(id, p);
    return m;
  }, [people, extra]);
  const orgNames = useMemo(
    () => new Map((people?.organisations.edges ?? []).map(({ node }) => [node.id, node.name])),
    [people],
  );

  // People outside the reader's organisation (a hub admin acting, a user of another member):
  // asked one by one; the hub answers only for those the reader may see.
  useEffect(() => {
    if (!people) return;
    const ids = new Set<string>();
    for (const e of entries) {
      if (e.actorUserId) ids.add(e.actorUserId);
      if (e.targetType === 'user' && e.targetId) ids.add(e.targetId);
    }
    const missing = [...ids].filter((id) => !known.has(id) && !extra.has(id));
    if (missing.length === 0) return;
    void Promise.all(
      missing.map((id) =>
        query(PERSON, { id }).then(
          (r) => [id, r.user] as const,
          () => [id, null] as const,
        ),
      ),
    ).then((found) =>
      setExtra((prev) => {
        const m = new Map(prev);
        for (const [id, p] of found) m.set(id, p);
        return m;
      }),
    );
  }, [entries, people, known, extra, query]);

  const person = (id: string | null | undefined) => {
    if (!id) return <Text size="sm">{t('admin.audit.system')}</Text>;
    const p = known.get(id);
    // Not yet looked up: a placeholder, so nobody reads "another organisation" for a colleague.
    if (!p && (!people || !extra.has(id))) return <Text size="sm">…</Text>;
    if (!p) {
      return (
        <Text size="sm" c="dark.6" title={id}>
          {t('admin.audit.hiddenUser')}
        </Text>
      );
    }
    return (
      <Text size="sm">
        {p.displayName}
        <br />
        <Text span size="xs" c="dark.6">
          {p.email}
        </Text>
      </Text>
    );
  };
  const target = (e: Entry) => {
    if (!e.targetType) return '—';
    if (e.targetType === 'user') return person(e.targetId);
    if (e.targetType === 'organisation' && e.targetId && orgNames.has(e.targetId)) {
      return orgNames.get(e.targetId);
    }
    return (
      <Text size="sm">
        {e.targetType} {e.targetId && <Code>{e.targetId}</Code>}
      </Text>
    );
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('admin.audit.title')}
      </Title>
      <Group align="end">
        <NativeSelect
          label={t('admin.audit.outcome')}
          value={outcome}
          onChange={(e) => {
            setOutcome(e.currentTarget.value);
            setPages([null]);
          }}
          data={[
            { value: '', label: t('admin.audit.anyOutcome') },
            ...OUTCOMES.map((o) => ({ value: o, label: t(`admin.audit.outcomes.${o}`) })),
          ]}
        />
        <Text size="sm" c="dark.6">
          {t('admin.audit.count', { count: total })}
        </Text>
      </Group>
      <ErrorAlert error={error} />
      <Table striped withTableBorder id="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.audit.at')}</Table.Th>
            <Table.Th>{t('admin.audit.action')}</Table.Th>
            <Table.Th>{t('admin.audit.outcome')}</Table.Th>
            <Table.Th>{t('admin.audit.actor')}</Table.Th>
            <Table.Th>{t('admin.audit.target')}</Table.Th>
            <Table.Th>{t('admin.audit.address')}</Table.Th>
            <Table.Th>{t('admin.audit.details')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{formatTime(e.at, i18n.language)}</Table.Td>
              <Table.Td>
                <Code>{e.action}</Code>
              </Table.Td>
              <Table.Td>
                <Text
                  size="sm"
                  fw={e.outcome === 'SUCCESS' ? 400 : 700}
                  style={{ whiteSpace: 'nowrap' }}
                >
                  {t(`admin.audit.outcomes.${e.outcome}`)}
                </Text>
              </Table.Td>
              <Table.Td>
                {person(e.actorUserId)}
                {e.actorOrganisationId && e.actorOrganisationId !== session.me.organisation.id && (
                  <Text size="xs" c="dark.6">
                    {orgNames.get(e.actorOrganisationId) ?? e.actorOrganisationId}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{target(e)}</Table.Td>
              <Table.Td>{e.clientAddress ?? '—'}</Table.Td>
              <Table.Td>
                {e.detailsJson !== '{}' && (
                  <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                    {e.detailsJson}
                  </Code>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {next && (
        <Button variant="default" onClick={() => setPages([...pages, next])}>
          {t('admin.audit.more')}
        </Button>
      )}
    </Stack>
  );
}
