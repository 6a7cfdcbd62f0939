import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { useSession } from '../api/session';
import { useHub } from '../api/use-hub';
import { graphql } from '../gql';
import { ErrorAlert } from './error-alert';
import classes from './exercise-banner.module.css';

const MY_ORGANISATION_KIND = graphql(`
  query MyOrganisationKind {
    me {
      id
      organisation {
        id
        kind
      }
    }
  }
`);

const REMOVE_EXERCISE = graphql(`
  mutation RemoveExercise($name: String!) {
    removeExercise(name: $name)
  }
`);

/** Whether the signed-in person's organisation is the coordinator (which sees and acts for all). */
export function useIsCoordinator(): boolean {
  const [{ data }] = useQuery({ query: MY_ORGANISATION_KIND, requestPolicy: 'cache-first' });
  return data?.me.organisation.kind === 'COORDINATOR';
}

/** The small mark for tables and lists: an item of a drill. */
export function ExerciseBadge() {
  const { t } = useTranslation();
  return <span className={classes.badge}>{t('sector.exercise.badge')}</span>;
}

/**
 * The banner every screen shows above an exercise item (訓練), so a drill is never read as a
 * real incident. Admins who may clean the drill up (their organisation's items, or every
 * organisation's for the coordinator: the hub decides, this only offers) get the action here,
 * confirmed by typing the drill's name.
 */
export function ExerciseBanner({
  name,
  own,
  onRemoved,
}: {
  name: string | null | undefined;
  own: boolean;
  onRemoved?: (count: number, name: string) => void;
}) {
  const { t } = useTranslation();
  const session = useSession();
  const coordinator = useIsCoordinator();
  const hub = useHub();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const drill = name ?? '';
  const admin = session.me.role === 'ORG_ADMIN' || session.me.role === 'HUB_ADMIN';
  const mayClean = admin && drill !== '' && (own || coordinator);

  async function remove(ev: FormEvent) {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await hub.mutate(REMOVE_EXERCISE, { name: drill });
      setOpen(false);
      onRemoved?.(r.removeExercise, drill);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div
      className={classes.banner}
      role="note"
      aria-label={t('sector.exercise.badge')}
      data-testid="exercise-banner"
    >
      <Group justify="space-between" wrap="wrap" gap="xs">
        <div>
          <Text fw={700}>{t('sector.exercise.banner', { name: drill })}</Text>
          <Text size="sm">{t('sector.exercise.bannerText')}</Text>
        </div>
        {mayClean && (
          <Button size="xs" color="dark" variant="outline" onClick={() => setOpen(true)}>
            {t('sector.exercise.cleanup')}
          </Button>
        )}
      </Group>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t('sector.exercise.cleanupTitle', { name: drill })}
        closeButtonProps={{ 'aria-label': t('stepUp.cancel') }}
        centered
      >
        <form onSubmit={(ev) => void remove(ev)}>
          <Stack>
            <Text size="sm">
              {coordinator ? t('sector.exercise.cleanupText') : t('sector.exercise.cleanupOwn')}
            </Text>
            <TextInput
              label={t('sector.exercise.typeName')}
              value={typed}
              onChange={(e) => setTyped(e.currentTarget.value)}
              autoComplete="off"
              data-autofocus
            />
            <Group>
              <Button type="submit" color="red.9" loading={busy} disabled={typed.trim() !== drill}>
                {t('sector.exercise.cleanupConfirm')}
              </Button>
              <Button variant="default" onClick={() => setOpen(false)}>
                {t('stepUp.cancel')}
              </Button>
            </Group>
            <ErrorAlert error={error} />
          </Stack>
        </form>
      </Modal>
    </div>
  );
}
