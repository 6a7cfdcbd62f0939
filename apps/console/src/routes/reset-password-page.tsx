import { Anchor, Button, Card, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useHub } from '../api/use-hub';
import { ErrorAlert } from '../components/error-alert';
import { graphql } from '../gql';

const RESET = graphql(`
  mutation ResetPassword($token: String!, $p: String!) {
    resetPassword(token: $token, newPassword: $p)
  }
`);

/**
 * Redeems the one-time token an admin handed over. It may arrive in the link's fragment
 * (#token=…), which browsers never send to a server or put in a Referer, or be pasted.
 */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const hub = useHub();
  const [params] = useSearchParams();
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  const [token, setToken] = useState(fromHash ?? params.get('token') ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <Stack maw={440} mx="auto" mt="xl">
      <Card withBorder padding="lg">
        <Title order={1} size="h2" mb="md">
          {t('reset.title')}
        </Title>
        {done ? (
          <Stack>
            <Text role="status">{t('reset.done')}</Text>
            <Anchor component={Link} to="/login">
              {t('reset.toLogin')}
            </Anchor>
          </Stack>
        ) : (
          <form
            onSubmit={async (ev) => {
              ev.preventDefault();
              setBusy(true);
              setError(null);
              try {
                await hub.mutate(RESET, { token: token.trim(), p: password });
                setPassword('');
                setDone(true);
              } catch (e) {
                setError(e);
              } finally {
                setBusy(false);
              }
            }}
          >
            <Stack>
              <TextInput
                label={t('reset.token')}
                autoComplete="off"
                spellCheck={false}
                required
                value={token}
                onChange={(e) => setToken(e.currentTarget.value)}
              />
              <PasswordInput
                label={t('reset.password')}
                autoComplete="new-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
              <Button type="submit" loading={busy}>
                {t('reset.submit')}
              </Button>
            </Stack>
          </form>
        )}
      </Card>
      <ErrorAlert error={error} />
    </Stack>
  );
}
