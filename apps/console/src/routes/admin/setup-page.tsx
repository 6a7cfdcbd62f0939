import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useHub } from '../../api/use-hub';
import { ErrorAlert } from '../../components/error-alert';
import { graphql } from '../../gql';
import { useAction } from '../../components/section';

const STATUS = graphql(`
  query SetupStatus {
    hubStatus {
      setupRequired
    }
  }
`);
const COMPLETE = graphql(`
  mutation CompleteSetup($i: CompleteSetupInput!) {
    completeSetup(input: $i) {
      user {
        email
      }
      organisation {
        name
      }
    }
  }
`);

/**
 * First run in the browser: the one-time token the hub printed at its start creates the
 * coordinating organisation and the first hub admin (what the README's curl does).
 */
export function SetupPage() {
  const { t } = useTranslation();
  const hub = useHub();
  const [{ data, error }] = useQuery({ query: STATUS, requestPolicy: 'network-only' });
  const [form, setForm] = useState({
    token: '',
    coordinatorName: '',
    coordinatorSectorCode: '',
    displayName: '',
    email: '',
    password: '',
  });
  const [done, setDone] = useState<{ email: string; organisation: string } | null>(null);
  const submit = useAction();
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [k]: e.currentTarget.value });

  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Text>{t('app.loading')}</Text>;
  if (done) {
    return (
      <Stack maw={560}>
        <Title order={1} size="h2">
          {t('admin.setup.title')}
        </Title>
        <Alert color="green" role="status" id="setup-done">
          {t('admin.setup.done', done)}
        </Alert>
        <Anchor component={Link} to="/login">
          {t('admin.setup.toLogin')}
        </Anchor>
      </Stack>
    );
  }
  if (!data.hubStatus.setupRequired) {
    return (
      <Stack maw={560}>
        <Title order={1} size="h2">
          {t('admin.setup.title')}
        </Title>
        <Text id="setup-not-needed">{t('admin.setup.notNeeded')}</Text>
        <Anchor component={Link} to="/login">
          {t('admin.setup.toLogin')}
        </Anchor>
      </Stack>
    );
  }
  return (
    <Stack maw={560}>
      <Title order={1} size="h2">
        {t('admin.setup.title')}
      </Title>
      <Text>{t('admin.setup.intro')}</Text>
      <form
        id="setup-form"
        onSubmit={submit.run(async () => {
          const r = await hub.mutate(COMPLETE, {
            i: {
              token: form.token.trim(),
              coordinatorName: form.coordinatorName.trim(),
              coordinatorSectorCode: form.coordinatorSectorCode.trim() || undefined,
              displayName: form.displayName.trim(),
              email: form.email.trim(),
              password: form.password,
            },
          });
          setDone({
            email: r.completeSetup.user.email,
            organisation: r.completeSetup.organisation.name,
          });
        })}
      >
        <Stack>
          <PasswordInput
            label={t('admin.setup.token')}
            description={t('admin.setup.tokenHint')}
            required
            autoComplete="off"
            value={form.token}
            onChange={set('token')}
          />
          <TextInput
            label={t('admin.setup.coordinatorName')}
            description={t('admin.setup.coordinatorNameHint')}
            required
            value={form.coordinatorName}
            onChange={set('coordinatorName')}
          />
          <TextInput
            label={t('admin.setup.sector')}
            description={t('admin.setup.sectorHint')}
            value={form.coordinatorSectorCode}
            onChange={set('coordinatorSectorCode')}
          />
          <TextInput
            label={t('admin.setup.displayName')}
            required
            autoComplete="name"
            value={form.displayName}
            onChange={set('displayName')}
          />
          <TextInput
            label={t('admin.setup.email')}
            type="email"
            required
            autoComplete="username"
            value={form.email}
            onChange={set('email')}
          />
          <PasswordInput
            label={t('admin.setup.password')}
            description={t('admin.setup.passwordHint')}
            required
            autoComplete="new-password"
            value={form.password}
            onChange={set('password')}
          />
          <Button type="submit" loading={submit.busy}>
            {t('admin.setup.submit')}
          </Button>
        </Stack>
      </form>
      <ErrorAlert error={submit.error} />
    </Stack>
  );
}
