import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Textarea,
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
import { Section, useAction } from '../../components/section';
import { FIREWALL_PRODUCTS, feedUrl, firewallSnippet } from './firewall-snippets';

const TOKENS = graphql(`
  query AdminApiTokens {
    apiTokens {
      id
      name
      tokenPrefix
      scopes
      allowedRanges
      createdAt
      expiresAt
      lastUsedAt
      lastUsedAddress
      revokedAt
    }
  }
`);
const CREATE_TOKEN = graphql(`
  mutation AdminCreateApiToken($i: CreateApiTokenInput!) {
    createApiToken(input: $i) {
      token
      apiToken {
        id
        name
        scopes
      }
    }
  }
`);
const REVOKE_TOKEN = graphql(`
  mutation AdminRevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      id
      revokedAt
    }
  }
`);

/**
 * The scopes as the hub names them (TOKEN_SCOPES in libs/identity). Their catalogue keys use _
 * for the colon, which i18next reads as a namespace separator.
 */
const SCOPES = ['feeds:read', 'indicators:write', 'reports:read'] as const;

function lines(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The end of the chosen day in the browser's zone, so "until 31 March" includes that day. */
function endOfDay(date: string): string {
  return new Date(`${date}T23:59:59`).toISOString();
}

export function ApiTokensPage() {
  const { t, i18n } = useTranslation();
  const hub = useHub();
  const stepUp = useStepUp();
  const [{ data, error }, refetch] = useQuery({ query: TOKENS, requestPolicy: 'network-only' });
  const [form, setForm] = useState({
    name: '',
    scopes: ['feeds:read'] as string[],
    ranges: '',
    expires: '',
  });
  const [secret, setSecret] = useState<{ token: string; name: string; scopes: string[] } | null>(
    null,
  );
  const create = useAction();
  const rows = useAction();
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const lang = i18n.language;
  const origin = window.location.origin;

  return (
    <Stack maw={1100}>
      <Title order={1} size="h2">
        {t('admin.tokens.title')}
      </Title>
      <Section id="create-token" title={t('admin.tokens.create')}>
        <form
          onSubmit={create.run(async () => {
            const ranges = lines(form.ranges);
            const r = await stepUp(() =>
              hub.mutate(CREATE_TOKEN, {
                i: {
                  name: form.name.trim(),
                  scopes: form.scopes,
                  allowedRanges: ranges.length ? ranges : undefined,
                  expiresAt: form.expires ? endOfDay(form.expires) : undefined,
                },
              }),
            );
            setSecret({
              token: r.createApiToken.token,
              name: r.createApiToken.apiToken.name,
              scopes: r.createApiToken.apiToken.scopes,
            });
            setForm({ name: '', scopes: ['feeds:read'], ranges: '', expires: '' });
            reload();
          })}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('admin.tokens.name')}
              description={t('admin.tokens.nameHint')}
              required
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            />
            <TextInput
              label={t('admin.tokens.expires')}
              description={t('admin.tokens.expiresHint')}
              type="date"
              value={form.expires}
              onChange={(e) => setForm({ ...form, expires: e.currentTarget.value })}
            />
            <Checkbox.Group
              label={t('admin.tokens.scopes')}
              value={form.scopes}
              onChange={(scopes) => setForm({ ...form, scopes })}
            >
              <Stack gap={4} mt={4}>
                {SCOPES.map((s) => (
                  <Checkbox
                    key={s}
                    value={s}
                    label={`${s} — ${t(`admin.scope.${s.replace(':', '_')}`)}`}
                  />
                ))}
              </Stack>
            </Checkbox.Group>
            <Textarea
              label={t('admin.tokens.ranges')}
              description={t('admin.tokens.rangesHint')}
              autosize
              minRows={2}
              value={form.ranges}
              onChange={(e) => setForm({ ...form, ranges: e.currentTarget.value })}
            />
          </SimpleGrid>
          <Button type="submit" mt="sm" loading={create.busy}>
            {t('admin.tokens.createSubmit')}
          </Button>
        </form>
        <ErrorAlert error={create.error} />
      </Section>
      {secret && (
        <Alert color="yellow" id="token-secret-box">
          <Stack gap="xs">
            <Text fw={700}>{t('admin.tokens.secretTitle', secret)}</Text>
            <Text size="sm">{t('admin.tokens.secretText')}</Text>
            <Group gap="xs">
              <Code id="token-secret">{secret.token}</Code>
              <CopyButton value={secret.token}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="default" onClick={copy}>
                    {copied ? t('admin.copied') : t('admin.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
            {secret.scopes.includes('feeds:read') && (
              <>
                <Text size="sm" fw={500}>
                  {t('admin.tokens.snippets')}
                </Text>
                <Text size="sm">
                  {t('admin.tokens.feedUrl')} <Code id="feed-url">{feedUrl(origin)}</Code>
                </Text>
                <Tabs defaultValue="nftables" keepMounted={false}>
                  <Tabs.List>
                    {FIREWALL_PRODUCTS.map((p) => (
                      <Tabs.Tab key={p} value={p}>
                        {t(`admin.firewall.${p}`)}
                      </Tabs.Tab>
                    ))}
                  </Tabs.List>
                  {FIREWALL_PRODUCTS.map((p) => {
                    const snippet = firewallSnippet(p, origin, secret.token);
                    return (
                      <Tabs.Panel key={p} value={p} pt="xs">
                        <Code block data-testid={`snippet-${p}`}>
                          {snippet}
                        </Code>
                        <CopyButton value={snippet}>
                          {({ copied, copy }) => (
                            <Button size="xs" mt="xs" variant="default" onClick={copy}>
                              {copied ? t('admin.copied') : t('admin.copy')}
                            </Button>
                          )}
                        </CopyButton>
                      </Tabs.Panel>
                    );
                  })}
                </Tabs>
                <Text size="xs" c="dark.6">
                  {t('admin.tokens.snippetsDoc')}
                </Text>
              </>
            )}
            <Group>
              <Button size="xs" variant="default" onClick={() => setSecret(null)}>
                {t('admin.tokens.stored')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      <ErrorAlert error={error ?? rows.error} />
      <Table striped withTableBorder id="token-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.tokens.name')}</Table.Th>
            <Table.Th>{t('admin.tokens.scopes')}</Table.Th>
            <Table.Th>{t('admin.tokens.ranges')}</Table.Th>
            <Table.Th>{t('admin.tokens.expires')}</Table.Th>
            <Table.Th>{t('admin.tokens.lastUsed')}</Table.Th>
            <Table.Th>{t('admin.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(data?.apiTokens ?? []).map((tk) => (
            <Table.Tr key={tk.id}>
              <Table.Td>
                {tk.name} <Code>{tk.tokenPrefix}…</Code>
              </Table.Td>
              <Table.Td>{tk.scopes.join(', ')}</Table.Td>
              <Table.Td>{tk.allowedRanges.join(', ') || t('admin.tokens.anyAddress')}</Table.Td>
              <Table.Td>
                {tk.expiresAt ? formatTime(tk.expiresAt, lang) : t('admin.never')}
              </Table.Td>
              <Table.Td>
                {tk.lastUsedAt
                  ? `${formatTime(tk.lastUsedAt, lang)} (${tk.lastUsedAddress ?? '—'})`
                  : t('admin.never')}
              </Table.Td>
              <Table.Td>
                {tk.revokedAt ? (
                  <Badge c="dark.8" color="gray" variant="light">
                    {t('admin.tokens.revoked')}
                  </Badge>
                ) : (
                  <Button
                    size="xs"
                    variant="default"
                    aria-label={t('admin.tokens.revokeOf', { name: tk.name })}
                    onClick={rows.run(async () => {
                      await stepUp(() => hub.mutate(REVOKE_TOKEN, { id: tk.id }));
                      reload();
                    })}
                  >
                    {t('admin.tokens.revoke')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
