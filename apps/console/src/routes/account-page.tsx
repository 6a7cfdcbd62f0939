import {
  Alert,
  Button,
  Card,
  Code,
  Group,
  Image,
  List,
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
import { useSession } from '../api/session';
import { useHub } from '../api/use-hub';
import { registerPasskey } from '../api/webauthn';
import { ErrorAlert } from '../components/error-alert';
import { Section, useAction } from '../components/section';
import { useStepUp } from '../components/step-up';
import { graphql } from '../gql';
import type { AccountQuery } from '../gql/graphql';

const ACCOUNT = graphql(`
  query Account {
    mySecurity {
      totpEnabled
      recoveryCodesRemaining
      passwordlessEnabled
      secondFactorVerified
      passkeys {
        id
        name
        createdAt
        lastUsedAt
      }
    }
  }
`);
// Sessions need a verified second factor; a person still enrolling sees the rest of the page.
const SESSIONS = graphql(`
  query MySessions {
    mySessions {
      id
      current
      createdAt
      lastSeenAt
      userAgent
      clientAddress
      secondFactorVerified
    }
  }
`);
const START_TOTP = graphql(`
  mutation StartTotp {
    startTotpEnrolment {
      qrCodeSvg
      secret
    }
  }
`);
const CONFIRM_TOTP = graphql(`
  mutation ConfirmTotp($c: String!) {
    confirmTotpEnrolment(code: $c) {
      active
      recoveryCodes
    }
  }
`);
const REMOVE_TOTP = graphql(`
  mutation RemoveTotp {
    removeTotp
  }
`);
const RENAME_PASSKEY = graphql(`
  mutation RenamePasskey($id: ID!, $name: String!) {
    renamePasskey(id: $id, name: $name) {
      id
      name
    }
  }
`);
const REMOVE_PASSKEY = graphql(`
  mutation RemovePasskey($id: ID!) {
    removePasskey(id: $id)
  }
`);
const SET_PASSWORDLESS = graphql(`
  mutation SetPasswordless($e: Boolean!) {
    setPasswordlessLogin(enabled: $e)
  }
`);
const REGENERATE = graphql(`
  mutation RegenerateRecoveryCodes {
    regenerateRecoveryCodes
  }
`);
const CHANGE_PASSWORD = graphql(`
  mutation ChangePassword($c: String!, $n: String!) {
    changePassword(currentPassword: $c, newPassword: $n)
  }
`);
const REVOKE_SESSION = graphql(`
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`);
const LOGOUT_EVERYWHERE = graphql(`
  mutation LogoutEverywhere {
    logoutEverywhere
  }
`);

type Security = AccountQuery['mySecurity'];

function when(iso: string, lang: string): string {
  return new Date(iso).toLocaleString(lang);
}

export function AccountPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const hub = useHub();
  const stepUp = useStepUp();
  const [{ data, error }, refetch] = useQuery({ query: ACCOUNT, requestPolicy: 'network-only' });
  const [codes, setCodes] = useState<string[] | null>(null);
  const [enrolment, setEnrolment] = useState<{ svg: string; secret: string } | null>(null);
  const [totpCode, setTotpCode] = useState('');
  const [passkeyName, setPasskeyName] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [passwords, setPasswords] = useState({ current: '', next: '' });
  const [passwordNote, setPasswordNote] = useState<string | null>(null);
  const totp = useAction();
  const passkeys = useAction();
  const passwordless = useAction();
  const recovery = useAction();
  const password = useAction();
  const reload = () => refetch({ requestPolicy: 'network-only' });

  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Text>{t('app.loading')}</Text>;
  const s: Security = data.mySecurity;
  const hasFactor = s.totpEnabled || s.passkeys.length > 0;
  const lang = i18n.language;

  return (
    <Stack maw={960}>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('account.title')}
        </Title>
      </Group>
      <Text c="dimmed" id="who">
        {`${session.me.displayName} <${session.me.email}>`}
      </Text>
      {!hasFactor && (
        <Alert color="yellow" id="enrolment-notice" role="status">
          {t('account.enrolment')}
        </Alert>
      )}
      {codes && (
        <Card withBorder padding="md" id="recovery-codes-box" bg="yellow.0">
          <Title order={2} size="h4">
            {t('account.codesTitle')}
          </Title>
          <Text size="sm" my="xs">
            {t('account.codesText')}
          </Text>
          <List type="ordered" id="recovery-codes" ff="monospace">
            {codes.map((c) => (
              <List.Item key={c}>{c}</List.Item>
            ))}
          </List>
          <Button mt="sm" onClick={() => setCodes(null)}>
            {t('account.codesDone')}
          </Button>
        </Card>
      )}
      <Section id="overview" title={t('account.overview')}>
        <SimpleGrid cols={2} component="dl" spacing={4} verticalSpacing={4}>
          <Text component="dt">{t('account.factTotp')}</Text>
          <Text component="dd" id="fact-totp" m={0}>
            {s.totpEnabled ? t('account.setUp') : t('account.notSetUp')}
          </Text>
          <Text component="dt">{t('account.factPasskeys')}</Text>
          <Text component="dd" id="fact-passkeys" m={0}>
            {String(s.passkeys.length)}
          </Text>
          <Text component="dt">{t('account.factRecovery')}</Text>
          <Text component="dd" id="fact-recovery" m={0}>
            {String(s.recoveryCodesRemaining)}
          </Text>
          <Text component="dt">{t('account.factPasswordless')}</Text>
          <Text component="dd" id="fact-passwordless" m={0}>
            {s.passwordlessEnabled ? t('account.on') : t('account.off')}
          </Text>
          <Text component="dt">{t('account.factSession')}</Text>
          <Text component="dd" id="fact-session" m={0}>
            {s.secondFactorVerified ? t('account.verified') : t('account.passwordOnly')}
          </Text>
        </SimpleGrid>
      </Section>

      <Section id="totp-section" title={t('account.totpTitle')}>
        <Text id="totp-status" mb="sm">
          {s.totpEnabled ? t('account.totpOn') : t('account.totpOff')}
        </Text>
        {!s.totpEnabled && !enrolment && (
          <Button
            loading={totp.busy}
            onClick={totp.run(async () => {
              const r = await stepUp(() => hub.mutate(START_TOTP, {}));
              setEnrolment({
                svg: r.startTotpEnrolment.qrCodeSvg,
                secret: r.startTotpEnrolment.secret,
              });
            })}
          >
            {t('account.totpStart')}
          </Button>
        )}
        {s.totpEnabled && (
          <Button
            color="red"
            variant="outline"
            loading={totp.busy}
            onClick={totp.run(async () => {
              await stepUp(() => hub.mutate(REMOVE_TOTP, {}));
              reload();
            })}
          >
            {t('account.totpRemove')}
          </Button>
        )}
        {enrolment && !s.totpEnabled && (
          <Stack id="totp-enrol">
            <Text size="sm">{t('account.totpScan')}</Text>
            {/* An <img> of the hub's SVG, never inserted as markup: it cannot run script. */}
            <Image
              id="totp-qr"
              w={200}
              h={200}
              alt={t('account.totpQr')}
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.svg)}`}
            />
            <Text size="sm">
              {t('account.totpManual')}{' '}
              <Code id="totp-secret">{enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}</Code>
            </Text>
            <form
              onSubmit={totp.run(async () => {
                const r = await hub.mutate(CONFIRM_TOTP, { c: totpCode.trim() });
                setTotpCode('');
                setEnrolment(null);
                if (r.confirmTotpEnrolment.recoveryCodes)
                  setCodes(r.confirmTotpEnrolment.recoveryCodes);
                reload();
              })}
            >
              <Group align="end">
                <TextInput
                  label={t('account.totpCode')}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={6}
                  required
                  value={totpCode}
                  onChange={(e) => setTotpCode(e.currentTarget.value)}
                />
                <Button type="submit" loading={totp.busy}>
                  {t('account.totpConfirm')}
                </Button>
              </Group>
            </form>
          </Stack>
        )}
        <ErrorAlert error={totp.error} />
      </Section>

      <Section id="passkey-section" title={t('account.passkeysTitle')}>
        <Stack gap="xs" id="passkey-list" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {s.passkeys.length === 0 && (
            <Text component="li" c="dimmed">
              {t('account.noPasskeys')}
            </Text>
          )}
          {s.passkeys.map((k) => (
            <Group component="li" key={k.id} justify="space-between" wrap="nowrap">
              {renaming?.id === k.id ? (
                <form
                  onSubmit={passkeys.run(async () => {
                    await hub.mutate(RENAME_PASSKEY, { id: k.id, name: renaming.name });
                    setRenaming(null);
                    reload();
                  })}
                >
                  <Group align="end">
                    <TextInput
                      label={t('account.renameLabel', { name: k.name })}
                      value={renaming.name}
                      maxLength={100}
                      required
                      onChange={(e) => setRenaming({ id: k.id, name: e.currentTarget.value })}
                    />
                    <Button type="submit" size="xs">
                      {t('account.save')}
                    </Button>
                  </Group>
                </form>
              ) : (
                <div>
                  <Text fw={600}>{k.name}</Text>
                  <Text size="xs" c="dimmed">
                    {t('account.passkeyAdded', { added: when(k.createdAt, lang) })}
                    {' · '}
                    {k.lastUsedAt
                      ? t('account.passkeyUsed', { used: when(k.lastUsedAt, lang) })
                      : t('account.passkeyNeverUsed')}
                  </Text>
                </div>
              )}
              <Group gap="xs" wrap="nowrap">
                <Button
                  size="xs"
                  variant="default"
                  aria-label={`${t('account.rename')}: ${k.name}`}
                  onClick={() => setRenaming({ id: k.id, name: k.name })}
                >
                  {t('account.rename')}
                </Button>
                <Button
                  size="xs"
                  color="red"
                  variant="outline"
                  aria-label={t('account.removeNamed', { name: k.name })}
                  onClick={passkeys.run(async () => {
                    await stepUp(() => hub.mutate(REMOVE_PASSKEY, { id: k.id }));
                    reload();
                  })}
                >
                  {t('account.remove')}
                </Button>
              </Group>
            </Group>
          ))}
        </Stack>
        <form
          onSubmit={passkeys.run(async () => {
            const fresh = await stepUp(() => registerPasskey(hub, passkeyName));
            setPasskeyName('');
            if (fresh) setCodes(fresh);
            reload();
          })}
        >
          <Group align="end" mt="sm">
            <TextInput
              label={t('account.passkeyName')}
              placeholder={t('account.passkeyPlaceholder')}
              maxLength={100}
              required
              value={passkeyName}
              onChange={(e) => setPasskeyName(e.currentTarget.value)}
            />
            <Button type="submit" loading={passkeys.busy}>
              {t('account.passkeyRegister')}
            </Button>
          </Group>
        </form>
        <ErrorAlert error={passkeys.error} />
      </Section>

      <Section id="passwordless-section" title={t('account.passwordlessTitle')}>
        <Text mb="sm">
          {s.passwordlessEnabled ? t('account.passwordlessOn') : t('account.passwordlessOff')}
        </Text>
        <Button
          variant="default"
          loading={passwordless.busy}
          disabled={s.passkeys.length === 0 && !s.passwordlessEnabled}
          onClick={passwordless.run(async () => {
            await stepUp(() => hub.mutate(SET_PASSWORDLESS, { e: !s.passwordlessEnabled }));
            reload();
          })}
        >
          {s.passwordlessEnabled
            ? t('account.passwordlessDisable')
            : t('account.passwordlessEnable')}
        </Button>
        <ErrorAlert error={passwordless.error} />
      </Section>

      <Section id="recovery-section" title={t('account.recoveryTitle')}>
        <Text mb="sm">{t('account.recoveryLeft', { count: s.recoveryCodesRemaining })}</Text>
        <Button
          variant="default"
          disabled={!hasFactor}
          loading={recovery.busy}
          onClick={recovery.run(async () => {
            const r = await stepUp(() => hub.mutate(REGENERATE, {}));
            setCodes(r.regenerateRecoveryCodes);
            reload();
          })}
        >
          {t('account.recoveryRegenerate')}
        </Button>
        <Text size="xs" c="dimmed" mt={4}>
          {t('account.recoveryHint')}
        </Text>
        <ErrorAlert error={recovery.error} />
      </Section>

      <Section id="password-section" title={t('account.passwordTitle')}>
        <form
          onSubmit={password.run(async () => {
            const r = await stepUp(() =>
              hub.mutate(CHANGE_PASSWORD, { c: passwords.current, n: passwords.next }),
            );
            setPasswords({ current: '', next: '' });
            setPasswordNote(t('account.passwordChanged', { count: r.changePassword }));
            reload();
          })}
        >
          <Group align="end">
            <PasswordInput
              label={t('account.currentPassword')}
              autoComplete="current-password"
              required
              value={passwords.current}
              onChange={(e) => setPasswords({ ...passwords, current: e.currentTarget.value })}
            />
            <PasswordInput
              label={t('account.newPassword')}
              autoComplete="new-password"
              required
              value={passwords.next}
              onChange={(e) => setPasswords({ ...passwords, next: e.currentTarget.value })}
            />
            <Button type="submit" loading={password.busy}>
              {t('account.changePassword')}
            </Button>
          </Group>
        </form>
        {passwordNote && (
          <Text role="status" mt="xs">
            {passwordNote}
          </Text>
        )}
        <ErrorAlert error={password.error} />
      </Section>

      {s.secondFactorVerified && <SessionsSection />}
    </Stack>
  );
}

function SessionsSection() {
  const { t, i18n } = useTranslation();
  const hub = useHub();
  const sessions = useAction();
  const lang = i18n.language;
  const [{ data, error }, refetch] = useQuery({ query: SESSIONS, requestPolicy: 'network-only' });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  if (error) return <ErrorAlert error={error} />;
  if (!data) return null;
  return (
    <Section id="sessions-section" title={t('account.sessionsTitle')}>
      <Table>
        <Table.Tbody>
          {data.mySessions.map((x) => (
            <Table.Tr key={x.id}>
              <Table.Td>
                <Text size="sm">{x.userAgent ?? '—'}</Text>
                <Text size="xs" c="dimmed">
                  {x.clientAddress ?? ''} ·{' '}
                  {t('account.sessionSeen', { seen: when(x.lastSeenAt, lang) })}
                </Text>
              </Table.Td>
              <Table.Td>
                {x.current ? (
                  <Text size="sm" fw={600}>
                    {t('account.sessionCurrent')}
                  </Text>
                ) : (
                  <Button
                    size="xs"
                    variant="default"
                    onClick={sessions.run(async () => {
                      await hub.mutate(REVOKE_SESSION, { id: x.id });
                      reload();
                    })}
                  >
                    {t('account.revoke')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Button
        mt="sm"
        color="red"
        variant="outline"
        onClick={sessions.run(async () => {
          await hub.mutate(LOGOUT_EVERYWHERE, {});
          location.assign('/login');
        })}
      >
        {t('account.logoutEverywhere')}
      </Button>
      <ErrorAlert error={sessions.error} />
    </Section>
  );
}
