import { Anchor, Button, Divider, Popover, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSubscription } from 'urql';
import { notificationText } from '../api/notification-text';
import { graphql } from '../gql';
import type { Tlp } from '../gql/graphql';
import { TLP_LABEL, TlpLabel } from './tlp-banner';

const NEW_REPORTS = graphql(`
  subscription CentreReportEvents {
    reportEvents(filter: { events: [PUBLISHED] }) {
      cursor
      report {
        id
        title
        tlp
      }
    }
  }
`);
const NEW_LISTS = graphql(`
  subscription CentreListEvents {
    listEvents(filter: { events: [CREATED] }) {
      cursor
      list {
        id
        name
        tlp
      }
    }
  }
`);

interface Item {
  cursor: string;
  /** Arrival order across both subscriptions. */
  seq: number;
  kind: 'report' | 'list';
  id: string;
  title: string;
  tlp: Tlp;
}

const KEEP = 30;
let arrivals = 0;

/** Newest first, each event once (React may run a reducer twice), at most KEEP. */
const add = (items: Item[] = [], item: Omit<Item, 'seq'>): Item[] =>
  items.some((i) => i.cursor === item.cursor)
    ? items
    : [{ ...item, seq: ++arrivals }, ...items].slice(0, KEEP);

type Permission = 'default' | 'granted' | 'denied' | 'unsupported';
const permissionNow = (): Permission =>
  typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;

/**
 * The person's own choice, kept like the language (a preference, not a secret): a permission
 * the browser granted earlier, or to another tab, does not by itself turn notifications on.
 */
const CHOSEN = 'renkei.browserNotifications';
const chosenNow = () => localStorage.getItem(CHOSEN) === 'on';

/**
 * The header's live list of new reports and lists this person may see, fed by the hub's
 * subscriptions (which apply the policy to every event), with links into the console. Browser
 * notifications are asked for only when the person clicks, and carry no more than
 * `notificationText` allows.
 */
export function NotificationCentre() {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [cleared, setCleared] = useState<string[]>([]);
  const [permission, setPermission] = useState<Permission>(permissionNow);
  const [chosen, setChosen] = useState(chosenNow);
  const showing = chosen && permission === 'granted';
  const [reports] = useSubscription({ query: NEW_REPORTS }, (items: Item[] | undefined, e) =>
    add(items, {
      cursor: e.reportEvents.cursor,
      kind: 'report',
      id: e.reportEvents.report.id,
      title: e.reportEvents.report.title,
      tlp: e.reportEvents.report.tlp,
    }),
  );
  const [lists] = useSubscription({ query: NEW_LISTS }, (items: Item[] | undefined, e) =>
    add(items, {
      cursor: e.listEvents.cursor,
      kind: 'list',
      id: e.listEvents.list.id,
      title: e.listEvents.list.name,
      tlp: e.listEvents.list.tlp,
    }),
  );
  const items = [...(reports.data ?? []), ...(lists.data ?? [])]
    .filter((i) => !cleared.includes(i.cursor))
    .sort((a, b) => b.seq - a.seq);

  // One browser notification per new item, once, and only after the person turned them on.
  const notified = useRef(new Set<string>());
  useEffect(() => {
    if (!showing) return;
    for (const i of items) {
      if (notified.current.has(i.cursor)) continue;
      notified.current.add(i.cursor);
      new Notification(t('alerts.centre.newItem'), {
        body: notificationText(i, TLP_LABEL[i.tlp], (label) =>
          t('alerts.centre.withheld', { label }),
        ),
        tag: i.cursor,
      });
    }
  }, [items, showing, t]);

  async function enable() {
    if (typeof Notification === 'undefined') return;
    // Items already listed are not announced again once notifications are turned on.
    for (const i of items) notified.current.add(i.cursor);
    const answer = await Notification.requestPermission();
    setPermission(answer);
    if (answer === 'granted') choose(true);
  }

  function choose(on: boolean) {
    localStorage.setItem(CHOSEN, on ? 'on' : 'off');
    setChosen(on);
  }

  const count = items.length;
  return (
    <Popover opened={opened} onChange={setOpened} width={380} position="bottom-end" trapFocus>
      <Popover.Target>
        <Button
          size="xs"
          variant={count ? 'filled' : 'default'}
          onClick={() => setOpened((o) => !o)}
          aria-expanded={opened}
          id="notification-centre"
          aria-label={count ? t('alerts.centre.buttonCount', { count }) : t('alerts.centre.button')}
        >
          {t('alerts.centre.button')}
          {count > 0 && ` (${count})`}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" role="region" aria-label={t('alerts.centre.title')}>
          <Text fw={600} size="sm">
            {t('alerts.centre.title')}
          </Text>
          {count === 0 && (
            <Text size="sm" c="dimmed">
              {t('alerts.centre.empty')}
            </Text>
          )}
          {count > 0 && (
            <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {items.map((i) => (
                <li key={i.cursor} data-notification={i.kind}>
                  <Text size="xs" c="dimmed" span>
                    {t(`alerts.centre.${i.kind}`)}
                  </Text>{' '}
                  <TlpLabel tlp={i.tlp} />{' '}
                  <Anchor
                    component={Link}
                    to={i.kind === 'report' ? `/reports/${i.id}` : `/lists/${i.id}`}
                    size="sm"
                    onClick={() => setOpened(false)}
                  >
                    {i.title}
                  </Anchor>
                </li>
              ))}
            </Stack>
          )}
          <Divider />
          {showing && (
            <Text size="xs" c="dimmed">
              {t('alerts.centre.enabled')}
            </Text>
          )}
          {showing ? (
            <Button size="xs" variant="default" onClick={() => choose(false)}>
              {t('alerts.centre.disable')}
            </Button>
          ) : permission === 'denied' || permission === 'unsupported' ? (
            <Text size="xs" c="dimmed">
              {t(`alerts.centre.${permission}`)}
            </Text>
          ) : (
            <Button size="xs" variant="light" onClick={() => void enable()}>
              {t('alerts.centre.enable')}
            </Button>
          )}
          <Anchor component={Link} to="/alerts" size="sm" onClick={() => setOpened(false)}>
            {t('alerts.centre.alertRules')}
          </Anchor>
          {count > 0 && (
            <Button
              size="xs"
              variant="subtle"
              onClick={() => setCleared((c) => [...c, ...items.map((i) => i.cursor)])}
            >
              {t('alerts.centre.clear')}
            </Button>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
