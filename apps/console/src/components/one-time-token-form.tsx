import { Anchor, Button, Card, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from './error-alert';

/**
 * A page that redeems a one-time token (a password reset, an address proof). The token may
 * arrive in the link's fragment (#token=…), which browsers never send to a server or put in a
 * Referer, or in the query, or be pasted; nothing is redeemed until the person submits.
 */
export function OneTimeTokenForm({
  id,
  title,
  intro,
  tokenLabel,
  submit,
  done,
  toLogin,
  redeem,
  children,
}: {
  id: string;
  title: string;
  intro?: string;
  tokenLabel: string;
  submit: string;
  done: string;
  toLogin: string;
  /** Redeems the token (throws the hub's error); extra fields are the caller's children. */
  redeem: (token: string) => Promise<unknown>;
  children?: ReactNode;
}) {
  const [token, setToken] = useState(() => {
    const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
    return fromHash ?? new URLSearchParams(location.search).get('token') ?? '';
  });
  const [error, setError] = useState<unknown>(null);
  const [redeemed, setRedeemed] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <Stack maw={480} mx="auto" mt="xl">
      <Card withBorder padding="lg">
        <Title order={1} size="h2" mb="md">
          {title}
        </Title>
        {redeemed ? (
          <Stack>
            <Text role="status">{done}</Text>
            <Anchor component={Link} to="/login">
              {toLogin}
            </Anchor>
          </Stack>
        ) : (
          <form
            id={id}
            onSubmit={async (ev) => {
              ev.preventDefault();
              setBusy(true);
              setError(null);
              try {
                await redeem(token.trim());
                setRedeemed(true);
              } catch (e) {
                setError(e);
              } finally {
                setBusy(false);
              }
            }}
          >
            <Stack>
              {intro && <Text size="sm">{intro}</Text>}
              <TextInput
                label={tokenLabel}
                autoComplete="off"
                spellCheck={false}
                required
                value={token}
                onChange={(e) => setToken(e.currentTarget.value)}
              />
              {children}
              <Button type="submit" loading={busy}>
                {submit}
              </Button>
            </Stack>
          </form>
        )}
      </Card>
      <ErrorAlert error={error} />
    </Stack>
  );
}
