import type { AlertItem } from '../alerts/alert-message';

/**
 * Bodies Slack and Microsoft Teams incoming webhooks accept, built from the same AlertItem as
 * e-mail (alert-message.ts), so the same TLP rule holds: the label first, and for AMBER+STRICT
 * (webhooks never see RED) a link and no content. Plain text in Slack's mrkdwn is escaped as
 * Slack asks (&, <, >), so an item's text cannot turn into a mention or a link; that includes
 * the top-level text, which Slack also reads as mrkdwn (notification and fallback).
 */
export function slackBody(i: AlertItem): string {
  const head = `*${esc(i.label)}* ${esc(i.headline)}`;
  const detail = i.withheld
    ? `${esc(i.withheld)} <${i.link}>`
    : [...i.lines.map(esc), `<${i.link}>`].join('\n');
  return JSON.stringify({
    text: esc(`${i.label} ${i.headline}${i.name ? `: ${i.name}` : ''}`),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: head } },
      { type: 'section', text: { type: 'mrkdwn', text: detail } },
    ],
  });
}

/**
 * An Adaptive Card message, the shape Teams' incoming webhooks (and Workflows) take. TextBlocks
 * render Markdown, so every one of them gets its text through inert(); the hub link is the
 * card's action, not text.
 */
export function teamsBody(i: AlertItem): string {
  const block = (text: string, more: object = {}) => ({
    type: 'TextBlock',
    text: inert(text),
    ...more,
  });
  const body: unknown[] = [
    block(i.label, { weight: 'Bolder', color: 'Attention' }),
    block(i.headline, { size: 'Medium', wrap: true }),
  ];
  if (i.withheld) body.push(block(i.withheld, { wrap: true }));
  else body.push(...i.lines.map((text) => block(text, { wrap: true })));
  return JSON.stringify({
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          actions: [{ type: 'Action.OpenUrl', title: 'renkei', url: i.link }],
        },
      },
    ],
  });
}

/** Slack text as written: mrkdwn's control characters escaped, and URLs defanged (Slack links bare ones). */
function esc(s: string): string {
  return defang(s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/** URLs the way CSIRTs write them (hxxps://, [.]): no chat client turns them into links. */
function defang(s: string): string {
  return s.replace(/\bhttp(s?):\/\/([^\s/]*)/gi, (_, tls: string, host: string) => {
    return `hxxp${tls}://${host.replace(/\./g, '[.]')}`;
  });
}

/**
 * Text a TextBlock shows as written: Markdown's marks are backslash-escaped, and URLs are defanged
 * the way CSIRTs write them (hxxps://, [.]) because Teams also turns bare URLs into links, and a
 * renderer that ignores the escapes would still leave no live link behind.
 */
function inert(s: string): string {
  return defang(s.replace(/[\\`*_~[\]()]/g, '\\$&'));
}
