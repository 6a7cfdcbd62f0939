import type { AlertItem } from '../alerts/alert-message';

/**
 * Bodies Slack and Microsoft Teams incoming webhooks accept, built from the same AlertItem as
 * e-mail (alert-message.ts), so the same TLP rule holds: the label first, and for AMBER+STRICT
 * (webhooks never see RED) a link and no content. Plain text in Slack's mrkdwn is escaped as
 * Slack asks (&, <, >), so an item's text cannot turn into a mention or a link.
 */
export function slackBody(i: AlertItem): string {
  const head = `*${esc(i.label)}* ${esc(i.headline)}`;
  const detail = i.withheld
    ? `${esc(i.withheld)} <${i.link}>`
    : [...i.lines.map(esc), `<${i.link}>`].join('\n');
  return JSON.stringify({
    text: `${i.label} ${i.headline}${i.name ? `: ${i.name}` : ''}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: head } },
      { type: 'section', text: { type: 'mrkdwn', text: detail } },
    ],
  });
}

/** An Adaptive Card message, the shape Teams' incoming webhooks (and Workflows) take. */
export function teamsBody(i: AlertItem): string {
  const body: unknown[] = [
    { type: 'TextBlock', text: i.label, weight: 'Bolder', color: 'Attention' },
    { type: 'TextBlock', text: i.headline, size: 'Medium', wrap: true },
  ];
  if (i.withheld) body.push({ type: 'TextBlock', text: i.withheld, wrap: true });
  else body.push(...i.lines.map((text) => ({ type: 'TextBlock', text, wrap: true })));
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

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
