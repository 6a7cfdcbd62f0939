import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  NativeSelect,
  PasswordInput,
  SimpleGrid,
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
import { useSession } from '../../api/session';
import { useHub } from '../../api/use-hub';
import { ErrorAlert } from '../../components/error-alert';
import { useStepUp } from '../../components/step-up';
import { graphql } from '../../gql';
import type { Role } from '../../gql/graphql';
import { Section, useAction } from '../../components/section';

const USERS = graphql(`
  query AdminUsers($org: ID) {
    users(first: 50, filter: { organisationId: $org }) {
      totalCount
      edges {
        node {
          id
          email
          displayName
          role
          status
          emailVerifiedAt
          createdAt
        }
      }
    }
  }
`);
const CREATE_USER = graphql(`
  mutation AdminCreateUser($i: CreateUserInput!) {
    createUser(input: $i) {
      id
      email
      emailVerifiedAt
    }
  }
`);
const SET_ROLE = graphql(`
  mutation AdminSetRole($id: ID!, $role: Role!) {
    setUserRole(id: $id, role: $role) {
      id
      role
    }
  }
`);
const SUSPEND = graphql(`
  mutation AdminSuspendUser($id: ID!) {
    suspendUser(id: $id) {
      id
      status
    }
  }
`);
const REACTIVATE = graphql(`
  mutation AdminReactivateUser($id: ID!) {
    reactivateUser(id: $id) {
      id
      status
    }
  }
`);
const RESET = graphql(`
  mutation AdminPasswordReset($id: ID!, $factors: Boolean) {
    issuePasswordReset(id: $id, resetSecondFactors: $factors) {
      token
      expiresAt
      resetsSecondFactors
    }
  }
`);
const PROOF = graphql(`
  mutation AdminEmailProof($id: ID!) {
    issueEmailVerification(id: $id)
  }
`);

/** Roles an organisation admin may hand out; HUB_ADMIN only by a hub admin. */
function rolesFor(myRole: string): Role[] {
  const roles: Role[] = ['VIEWER', 'ANALYST', 'ORG_ADMIN'];
  return myRole === 'HUB_ADMIN' ? [...roles, 'HUB_ADMIN'] : roles;
}

export function UsersPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const hub = useHub();
  const stepUp = useStepUp();
  const org = session.me.organisation.id;
  const [{ data, error }, refetch] = useQuery({
    query: USERS,
    variables: { org },
    requestPolicy: 'network-only',
  });
  const [form, setForm] = useState({ email: '', displayName: '', role: 'ANALYST', password: '' });
  const [created, setCreated] = useState<{ email: string; proven: boolean } | null>(null);
  const [ticket, setTicket] = useState<{
    email: string;
    token: string;
    expiresAt: string;
    resetsSecondFactors: boolean;
  } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const create = useAction();
  const rows = useAction();
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const roles = rolesFor(session.me.role);
  const roleLabel = (r: string) => t(`admin.role.${r}`);

  return (
    <Stack maw={1100}>
      <Title order={1} size="h2">
        {t('admin.users.title')}
      </Title>
      <Text c="dimmed">{session.me.organisation.name}</Text>
      <Section id="create-user" title={t('admin.users.create')}>
        <form
          onSubmit={create.run(async () => {
            setCreated(null);
            const r = await hub.mutate(CREATE_USER, {
              i: {
                organisationId: org,
                email: form.email.trim(),
                displayName: form.displayName.trim(),
                role: form.role as Role,
                initialPassword: form.password,
              },
            });
            setCreated({ email: r.createUser.email, proven: !!r.createUser.emailVerifiedAt });
            setForm({ email: '', displayName: '', role: 'ANALYST', password: '' });
            reload();
          })}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('admin.users.email')}
              type="email"
              required
              value={form.email}
              onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
            />
            <TextInput
              label={t('admin.users.displayName')}
              required
              value={form.displayName}
              onChange={(e) => setForm({ ...form, displayName: e.currentTarget.value })}
            />
            <NativeSelect
              label={t('admin.users.role')}
              value={form.role}
              onChange={(e) => setForm({ ...form, role: e.currentTarget.value })}
              data={roles.map((r) => ({ value: r, label: roleLabel(r) }))}
            />
            <PasswordInput
              label={t('admin.users.initialPassword')}
              description={t('admin.users.initialPasswordHint')}
              required
              autoComplete="new-password"
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
            />
          </SimpleGrid>
          <Text size="sm" c="dimmed" mt="xs">
            {t('admin.users.emailRule')}
          </Text>
          <Button type="submit" mt="sm" loading={create.busy}>
            {t('admin.users.createSubmit')}
          </Button>
        </form>
        {created && (
          <Alert
            color={created.proven ? 'green' : 'yellow'}
            mt="sm"
            role="status"
            id="user-created"
          >
            {created.proven
              ? t('admin.users.createdProven', { email: created.email })
              : t('admin.users.createdUnproven', { email: created.email })}
          </Alert>
        )}
        <ErrorAlert error={create.error} />
      </Section>
      {ticket && (
        <Alert color="blue" id="reset-ticket">
          <Text fw={700}>{t('admin.users.ticketTitle', ticket)}</Text>
          <Text size="sm">
            {t('admin.users.ticketText', { at: formatTime(ticket.expiresAt, i18n.language) })}
          </Text>
          {ticket.resetsSecondFactors && (
            <Text size="sm" fw={700}>
              {t('journeys.recovery.ticketFactors')}
            </Text>
          )}
          <Code block mt="xs" id="reset-token">
            {ticket.token}
          </Code>
          <Button size="xs" mt="xs" variant="default" onClick={() => setTicket(null)}>
            {t('admin.done')}
          </Button>
        </Alert>
      )}
      {note && (
        <Alert color="green" role="status">
          {note}
        </Alert>
      )}
      <ErrorAlert error={error ?? rows.error} />
      <Table striped withTableBorder id="user-table">
        <Table.Caption>
          {t('admin.users.count', { count: data?.users.totalCount ?? 0 })}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.users.displayName')}</Table.Th>
            <Table.Th>{t('admin.users.email')}</Table.Th>
            <Table.Th>{t('admin.users.role')}</Table.Th>
            <Table.Th>{t('admin.users.status')}</Table.Th>
            <Table.Th>{t('admin.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(data?.users.edges ?? []).map(({ node: u }) => {
            const self = u.id === session.me.id;
            return (
              <Table.Tr key={u.id}>
                <Table.Td>{u.displayName}</Table.Td>
                <Table.Td>
                  {u.email}{' '}
                  {!u.emailVerifiedAt && (
                    <Badge c="dark.8" color="yellow" variant="light">
                      {t('admin.users.unproven')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <NativeSelect
                    size="xs"
                    w={190}
                    aria-label={t('admin.users.roleOf', { name: u.displayName })}
                    value={u.role}
                    disabled={self || rows.busy}
                    data={(roles.includes(u.role) ? roles : [...roles, u.role]).map((r) => ({
                      value: r,
                      label: roleLabel(r),
                    }))}
                    onChange={(e) => {
                      const role = e.currentTarget.value as Role;
                      void rows.run(async () => {
                        await stepUp(() => hub.mutate(SET_ROLE, { id: u.id, role }));
                        reload();
                      })();
                    }}
                  />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={u.status === 'ACTIVE' ? 400 : 700}>
                    {t(`admin.status.${u.status}`)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    {!self &&
                      (u.status === 'ACTIVE' ? (
                        <Button
                          size="xs"
                          variant="default"
                          color="red"
                          aria-label={t('admin.users.suspendOf', { name: u.displayName })}
                          onClick={rows.run(async () => {
                            await stepUp(() => hub.mutate(SUSPEND, { id: u.id }));
                            reload();
                          })}
                        >
                          {t('admin.users.suspend')}
                        </Button>
                      ) : (
                        <Button
                          size="xs"
                          variant="default"
                          aria-label={t('admin.users.reactivateOf', { name: u.displayName })}
                          onClick={rows.run(async () => {
                            await stepUp(() => hub.mutate(REACTIVATE, { id: u.id }));
                            reload();
                          })}
                        >
                          {t('admin.users.reactivate')}
                        </Button>
                      ))}
                    {!self && (
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={t('admin.users.resetOf', { name: u.displayName })}
                        onClick={rows.run(async () => {
                          const r = await stepUp(() => hub.mutate(RESET, { id: u.id }));
                          setTicket({ email: u.email, ...r.issuePasswordReset });
                        })}
                      >
                        {t('admin.users.reset')}
                      </Button>
                    )}
                    {!self && (
                      <Button
                        size="xs"
                        variant="default"
                        color="red"
                        aria-label={t('journeys.recovery.resetFactorsOf', { name: u.displayName })}
                        onClick={rows.run(async () => {
                          const r = await stepUp(() =>
                            hub.mutate(RESET, { id: u.id, factors: true }),
                          );
                          setTicket({ email: u.email, ...r.issuePasswordReset });
                        })}
                      >
                        {t('journeys.recovery.resetFactors')}
                      </Button>
                    )}
                    {!u.emailVerifiedAt && (
                      <Button
                        size="xs"
                        variant="subtle"
                        aria-label={t('admin.users.proofOf', { name: u.displayName })}
                        onClick={rows.run(async () => {
                          await hub.mutate(PROOF, { id: u.id });
                          setNote(t('admin.users.proofSent', { email: u.email }));
                        })}
                      >
                        {t('admin.users.proof')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
