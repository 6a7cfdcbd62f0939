import {
  Button,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { useNames } from '../../api/labels';
import { useHub } from '../../api/use-hub';
import { ErrorAlert } from '../../components/error-alert';
import { useStepUp } from '../../components/step-up';
import { graphql } from '../../gql';
import type { OrganisationKind } from '../../gql/graphql';
import { Section, useAction } from '../../components/section';

const DIRECTORY = graphql(`
  query AdminDirectory($name: String) {
    organisations(first: 50, filter: { nameContains: $name }) {
      totalCount
      edges {
        node {
          id
          name
          kind
          status
          domains
          addressRanges
          sector {
            code
          }
          group {
            name
          }
        }
      }
    }
  }
`);
// Apart from the directory: one document with both exceeds the hub's query cost limit.
const GROUPS = graphql(`
  query AdminGroups {
    corporateGroups(first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);
const CREATE_ORG = graphql(`
  mutation AdminCreateOrganisation($i: CreateOrganisationInput!) {
    createOrganisation(input: $i) {
      id
    }
  }
`);
const SUSPEND_ORG = graphql(`
  mutation AdminSuspendOrganisation($id: ID!) {
    suspendOrganisation(id: $id) {
      id
      status
    }
  }
`);
const REACTIVATE_ORG = graphql(`
  mutation AdminReactivateOrganisation($id: ID!) {
    reactivateOrganisation(id: $id) {
      id
      status
    }
  }
`);
const CREATE_GROUP = graphql(`
  mutation AdminCreateGroup($i: CreateCorporateGroupInput!) {
    createCorporateGroup(input: $i) {
      id
    }
  }
`);

const KINDS: OrganisationKind[] = ['OPERATOR', 'SECTOR_CSIRT', 'VENDOR', 'COORDINATOR'];

function list(text: string): string[] | undefined {
  const items = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/** Hub admins: the member organisations, the corporate groups and the sectors. */
export function HubDirectoryPage() {
  const { t } = useTranslation();
  const hub = useHub();
  const stepUp = useStepUp();
  const names = useNames();
  const [search, setSearch] = useState('');
  const [{ data, error }, refetch] = useQuery({
    query: DIRECTORY,
    variables: { name: search.trim() || null },
    requestPolicy: 'network-only',
  });
  const [{ data: groupData }, refetchGroups] = useQuery({
    query: GROUPS,
    requestPolicy: 'network-only',
  });
  const empty = {
    name: '',
    kind: 'OPERATOR',
    sectorCode: '',
    groupId: '',
    domains: '',
    ranges: '',
  };
  const [form, setForm] = useState(empty);
  const [groupName, setGroupName] = useState('');
  const create = useAction();
  const rows = useAction();
  const groups = useAction();
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const groupList = groupData?.corporateGroups.edges.map((e) => e.node) ?? [];
  const sectorCode = form.sectorCode || names.sectors[0]?.code || '';

  return (
    <Stack maw={1200}>
      <Title order={1} size="h2">
        {t('admin.orgs.title')}
      </Title>
      <Section id="create-organisation" title={t('admin.orgs.create')}>
        <form
          onSubmit={create.run(async () => {
            await hub.mutate(CREATE_ORG, {
              i: {
                name: form.name.trim(),
                kind: form.kind as OrganisationKind,
                sectorCode,
                groupId: form.groupId || undefined,
                domains: list(form.domains),
                addressRanges: list(form.ranges),
              },
            });
            setForm(empty);
            reload();
          })}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('admin.orgs.name')}
              required
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            />
            <NativeSelect
              label={t('admin.orgs.kind')}
              value={form.kind}
              onChange={(e) => setForm({ ...form, kind: e.currentTarget.value })}
              data={KINDS.map((k) => ({ value: k, label: t(`admin.kind.${k}`) }))}
            />
            <NativeSelect
              label={t('admin.orgs.sector')}
              value={sectorCode}
              onChange={(e) => setForm({ ...form, sectorCode: e.currentTarget.value })}
              data={names.sectors.map((s) => ({ value: s.code, label: names.sector(s.code) }))}
            />
            <NativeSelect
              label={t('admin.orgs.group')}
              value={form.groupId}
              onChange={(e) => setForm({ ...form, groupId: e.currentTarget.value })}
              data={[
                { value: '', label: t('admin.orgs.noGroup') },
                ...groupList.map((g) => ({ value: g.id, label: g.name })),
              ]}
            />
            <Textarea
              label={t('admin.orgs.domains')}
              description={t('admin.orgs.domainsHint')}
              autosize
              minRows={2}
              value={form.domains}
              onChange={(e) => setForm({ ...form, domains: e.currentTarget.value })}
            />
            <Textarea
              label={t('admin.orgs.ranges')}
              description={t('admin.orgs.rangesHint')}
              autosize
              minRows={2}
              value={form.ranges}
              onChange={(e) => setForm({ ...form, ranges: e.currentTarget.value })}
            />
          </SimpleGrid>
          <Button type="submit" mt="sm" loading={create.busy}>
            {t('admin.orgs.createSubmit')}
          </Button>
        </form>
        <ErrorAlert error={create.error} />
      </Section>
      <TextInput
        label={t('admin.orgs.search')}
        maw={360}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
      />
      <ErrorAlert error={error ?? rows.error} />
      <Table striped withTableBorder id="organisation-table">
        <Table.Caption>
          {t('admin.orgs.count', { count: data?.organisations.totalCount ?? 0 })}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.orgs.name')}</Table.Th>
            <Table.Th>{t('admin.orgs.kind')}</Table.Th>
            <Table.Th>{t('admin.orgs.sector')}</Table.Th>
            <Table.Th>{t('admin.orgs.group')}</Table.Th>
            <Table.Th>{t('admin.orgs.domains')}</Table.Th>
            <Table.Th>{t('admin.orgs.ranges')}</Table.Th>
            <Table.Th>{t('admin.users.status')}</Table.Th>
            <Table.Th>{t('admin.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(data?.organisations.edges ?? []).map(({ node: o }) => (
            <Table.Tr key={o.id}>
              <Table.Td>{o.name}</Table.Td>
              <Table.Td>{t(`admin.kind.${o.kind}`)}</Table.Td>
              <Table.Td>{names.sector(o.sector.code)}</Table.Td>
              <Table.Td>{o.group?.name ?? '—'}</Table.Td>
              <Table.Td>{o.domains?.join(', ') || '—'}</Table.Td>
              <Table.Td>{o.addressRanges?.join(', ') || '—'}</Table.Td>
              <Table.Td>
                <Text size="sm" fw={o.status === 'ACTIVE' ? 400 : 700}>
                  {t(`admin.status.${o.status}`)}
                </Text>
              </Table.Td>
              <Table.Td>
                {o.kind !== 'COORDINATOR' && (
                  <Button
                    size="xs"
                    variant="default"
                    aria-label={t(
                      o.status === 'ACTIVE' ? 'admin.orgs.suspendOf' : 'admin.orgs.reactivateOf',
                      { name: o.name },
                    )}
                    onClick={rows.run(async () => {
                      await stepUp<unknown>(() =>
                        o.status === 'ACTIVE'
                          ? hub.mutate(SUSPEND_ORG, { id: o.id })
                          : hub.mutate(REACTIVATE_ORG, { id: o.id }),
                      );
                      reload();
                    })}
                  >
                    {o.status === 'ACTIVE' ? t('admin.users.suspend') : t('admin.users.reactivate')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Section id="groups" title={t('admin.groups.title')}>
          <Text size="sm" c="dark.6" mb="xs">
            {t('admin.groups.intro')}
          </Text>
          <form
            onSubmit={groups.run(async () => {
              await hub.mutate(CREATE_GROUP, { i: { name: groupName.trim() } });
              setGroupName('');
              refetchGroups({ requestPolicy: 'network-only' });
            })}
          >
            <Group align="end">
              <TextInput
                label={t('admin.groups.name')}
                required
                value={groupName}
                onChange={(e) => setGroupName(e.currentTarget.value)}
              />
              <Button type="submit" loading={groups.busy}>
                {t('admin.groups.create')}
              </Button>
            </Group>
          </form>
          <ErrorAlert error={groups.error} />
          <Table mt="sm" id="group-table">
            <Table.Tbody>
              {groupList.map((g) => (
                <Table.Tr key={g.id}>
                  <Table.Td>{g.name}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
        <Section id="sectors" title={t('admin.sectors.title')}>
          <Text size="sm" c="dark.6" mb="xs">
            {t('admin.sectors.intro')}
          </Text>
          <Table id="sector-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.sectors.code')}</Table.Th>
                <Table.Th>English</Table.Th>
                <Table.Th>日本語</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {names.sectors.map((s) => (
                <Table.Tr key={s.code}>
                  <Table.Td>{s.code}</Table.Td>
                  <Table.Td>{s.nameEn}</Table.Td>
                  <Table.Td lang="ja">{s.nameJa}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      </SimpleGrid>
    </Stack>
  );
}
