import { Anchor, Button, Card, Divider, Stack, Text, TextInput, Title } from '@mantine/core';
import { browserSupportsWebAuthn } from '@simplewebauthn/browser';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { SESSION, sessionState } from '../api/session';
import { useHub } from '../api/use-hub';
import { passkeyCheck } from '../api/webauthn';
import { ErrorAlert } from '../components/error-alert';
import { graphql } from '../gql';
import { HubRequestError } from '../api/errors';

const LOGIN = graphql(`
  mutation Login($i: LoginInput!) {
    login(input: $i) {
      secondFactorVerified
      enrolmentRequired
    }
  }
`);
const VERIFY_TOTP = graphql(`
  mutation LoginTotp($c: String!) {
    verifyTotp(code: $c) {
      secondFactorVerified
    }
  }
`);
const VERIFY_RECOVERY = graphql(`
  mutation LoginRecovery($c: String!) {
    verifyRecoveryCode(code: $c) {
      secondFactorVerified
    }
  }
`);
const LOGOUT = graphql(`
  mutation LoginStartOver {
    logout
  }
`);

/** Only a path of this console: a `next` pointing elsewhere would make the login an open redirect. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : '/inbox';
}

type Step = 'loading' | 'password' | 'second';

export function LoginPage() {
  const { t } = useTranslation();
  const hub = useHub();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [step, setStep] = useState<Step>('loading');
  const [factors, setFactors] = useState({ totp: false, passkey: false });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [recovery, setRecovery] = useState('');
  const passkeys = browserSupportsWebAuthn();

  async function resume() {
    let data;
    try {
      data = await hub.query(SESSION, {});
    } catch (e) {
      setStep('password');
      if (!(e instanceof HubRequestError && e.code === 'UNAUTHENTICATED')) setError(e);
      return;
    }
    const state = sessionState(data, null);
    if (state === 'full') return void navigate(next, { replace: true });
    if (state === 'needs-enrolment') return void navigate('/account', { replace: true });
    setFactors({ totp: data.mySecurity.totpEnabled, passkey: data.mySecurity.passkeys.length > 0 });
    setStep('second');
  }

  useEffect(() => {
    void resume();
    // Once, on arrival: where this browser's session stands decides the step shown.
  }, []);

  function act(action: () => Promise<unknown>) {
    return async (ev?: FormEvent) => {
      ev?.preventDefault();
      setBusy(true);
      setError(null);
      try {
        await action();
      } catch (e) {
        setError(e);
      } finally {
        setBusy(false);
      }
    };
  }

  const afterSecondFactor = () => navigate(next, { replace: true });

  return (
    <Stack maw={440} mx="auto" mt="xl">
      {step === 'password' && (
        <Card withBorder padding="lg" id="password-step">
          <Title order={1} size="h2" mb="md">
            {t('login.title')}
          </Title>
          <form
            onSubmit={act(async () => {
              const r = await hub.mutate(LOGIN, { i: { email, password } });
              setPassword('');
              if (r.login.enrolmentRequired) return navigate('/account', { replace: true });
              if (r.login.secondFactorVerified) return navigate(next, { replace: true });
              await resume();
            })}
          >
            <Stack>
              <TextInput
                label={t('login.email')}
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
              />
              {/* A plain field: scripts and password managers find it by its label alone. */}
              <TextInput
                type="password"
                label={t('login.password')}
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
              <Button type="submit" loading={busy}>
                {t('login.submit')}
              </Button>
            </Stack>
          </form>
          <Divider my="md" label={t('login.or')} />
          <Button
            variant="default"
            disabled={!passkeys}
            onClick={act(async () => {
              await passkeyCheck(hub);
              await afterSecondFactor();
            })}
          >
            {t('login.passkey')}
          </Button>
          <Text size="sm" c="dimmed" mt="xs">
            {t('login.passkeyHint')}
          </Text>
          <Anchor component={Link} to="/reset-password" size="sm" mt="md">
            {t('login.forgot')}
          </Anchor>
        </Card>
      )}
      {step === 'second' && (
        <Card withBorder padding="lg" id="second-step">
          <Title order={1} size="h2" mb="xs">
            {t('login.secondTitle')}
          </Title>
          <Text size="sm" mb="md">
            {t('login.secondText')}
          </Text>
          <Stack>
            {factors.totp && (
              <form
                id="totp-form"
                onSubmit={act(async () => {
                  await hub.mutate(VERIFY_TOTP, { c: totp.trim() });
                  await afterSecondFactor();
                })}
              >
                <Stack>
                  <TextInput
                    label={t('login.totp')}
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    maxLength={6}
                    required
                    autoFocus
                    value={totp}
                    onChange={(e) => setTotp(e.currentTarget.value)}
                  />
                  <Button type="submit" loading={busy}>
                    {t('login.verify')}
                  </Button>
                </Stack>
              </form>
            )}
            {factors.passkey && passkeys && (
              <Button
                variant="default"
                id="passkey-verify"
                onClick={act(async () => {
                  await passkeyCheck(hub);
                  await afterSecondFactor();
                })}
              >
                {t('login.usePasskey')}
              </Button>
            )}
            <form
              onSubmit={act(async () => {
                await hub.mutate(VERIFY_RECOVERY, { c: recovery.trim() });
                await afterSecondFactor();
              })}
            >
              <Stack>
                <TextInput
                  label={t('login.recovery')}
                  autoComplete="off"
                  spellCheck={false}
                  required
                  value={recovery}
                  onChange={(e) => setRecovery(e.currentTarget.value)}
                />
                <Button type="submit" variant="default">
                  {t('login.useRecovery')}
                </Button>
              </Stack>
            </form>
            <Button
              variant="subtle"
              onClick={act(async () => {
                try {
                  await hub.mutate(LOGOUT, {});
                } finally {
                  setStep('password');
                }
              })}
            >
              {t('login.startOver')}
            </Button>
          </Stack>
        </Card>
      )}
      <ErrorAlert error={error} />
    </Stack>
  );
}
