import type { ListEvent, ReportEvent } from '../push.models';
import { alertItem, digestMail, immediateMail } from './alert-message';
import { slackBody, teamsBody } from '../webhooks/chat-body';

const HUB = 'https://hub.example';
const ZONE = 'Asia/Tokyo';

function event(tlp: string, title = `Secret title ${tlp}`): ReportEvent {
  return {
    cursor: '7',
    kind: 'report.published',
    at: new Date('2026-12-05T10:00:00Z'),
    report: {
      id: `r-${tlp}`,
      kind: 'incident',
      tlp,
      title,
      summary: `Secret summary ${tlp}`,
      categories: ['cyberattack.dos'],
      author: { label: 'an operator in electric-power', organisationId: null, own: false },
    },
    comment: null,
    sighting: null,
  } as unknown as ReportEvent;
}

const ALL = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'];

describe('alert messages (TLP 2.0 in e-mail and chat)', () => {
  it('names the kind and the time in the reader language and the alert time zone', () => {
    // 10:00 UTC is 19:00 in Tokyo: a Japanese reader is not left converting an ISO instant.
    expect(immediateMail(alertItem(event('GREEN'), 'ja', HUB, ZONE), 'ja').text).toContain(
      '種別: インシデント\n投稿者: an operator in electric-power\n日時: 2026/12/05 19:00 JST',
    );
    const en = immediateMail(alertItem(event('GREEN'), 'en', HUB, 'Europe/London'), 'en').text;
    expect(en).toContain('Kind: Incident\n');
    expect(en).toContain('When: 2026-12-05 10:00 Europe/London\n');
    // English has no short name for Tokyo ("GMT+9"): the zone is named as configured.
    const tokyo = immediateMail(alertItem(event('GREEN'), 'en', HUB, ZONE), 'en').text;
    expect(tokyo).toContain('When: 2026-12-05 19:00 Asia/Tokyo\n');
  });

  it.each(ALL)('%s: the label opens the subject and the body', (tlp) => {
    const label = `TLP:${tlp.replace('_', '+')}`;
    for (const lang of ['ja', 'en'] as const) {
      const mail = immediateMail(alertItem(event(tlp), lang, HUB, ZONE), lang);
      expect(mail.subject.startsWith(`[${label}] `)).toBe(true);
      expect(mail.text.split('\n')[0]).toBe(label);
      expect(mail.text).toContain(`${HUB}/reports/r-${tlp}`);
    }
  });

  it.each(['AMBER_STRICT', 'RED'])('%s: a link and no content, in mail and chat', (tlp) => {
    const item = alertItem(event(tlp), 'en', HUB, ZONE);
    const mail = immediateMail(item, 'en');
    for (const out of [mail.subject, mail.text, slackBody(item), teamsBody(item)]) {
      expect(out).not.toContain('Secret');
      expect(out).not.toContain('electric-power');
    }
    expect(slackBody(item)).toContain(`${HUB}/reports/r-${tlp}`);
    expect(teamsBody(item)).toContain(`${HUB}/reports/r-${tlp}`);
  });

  it.each(['CLEAR', 'GREEN', 'AMBER'])('%s: the content as the reader sees it', (tlp) => {
    const mail = immediateMail(alertItem(event(tlp), 'en', HUB, ZONE), 'en');
    expect(mail.subject).toContain(`Secret title ${tlp}`);
    expect(mail.text).toContain(`Secret summary ${tlp}`);
    expect(mail.text).toContain('Author: an operator in electric-power');
  });

  it('speaks the reader’s language', () => {
    expect(immediateMail(alertItem(event('GREEN'), 'ja', HUB, ZONE), 'ja').subject).toContain(
      '報告が公開されました',
    );
    expect(immediateMail(alertItem(event('GREEN'), 'en', HUB, ZONE), 'en').subject).toContain(
      'A report was published',
    );
  });

  it('labels a digest with its highest marking and each item with its own', () => {
    const items = ['GREEN', 'AMBER_STRICT', 'CLEAR'].map((t) =>
      alertItem(event(t), 'en', HUB, ZONE),
    );
    const mail = digestMail(items, 'en', 'daily', 'daily:2026-12-05');
    expect(mail.subject).toBe('[TLP:AMBER+STRICT] renkei daily digest 2026-12-05 (3 items)');
    expect(mail.text.split('\n')[0]).toBe('TLP:AMBER+STRICT');
    expect(mail.text).toContain('TLP:GREEN\nA report was published\nTitle: Secret title GREEN');
    expect(mail.text).not.toContain('Secret title AMBER_STRICT');
  });

  it('keeps a title with line breaks out of the subject’s header lines', () => {
    const mail = immediateMail(
      alertItem(event('GREEN', 'a\r\nBcc: x@evil.example'), 'en', HUB, ZONE),
      'en',
    );
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});

describe('list alerts', () => {
  function listEvent(tlp: string, added: string[]): ListEvent {
    return {
      cursor: '9',
      kind: 'list.entries_added',
      at: new Date('2026-12-05T10:00:00Z'),
      list: {
        id: `l-${tlp}`,
        name: `Secret list ${tlp}`,
        tlp,
        author: { label: 'an operator in gas', organisationId: null, own: false },
      },
      added,
      removed: [],
    } as unknown as ListEvent;
  }

  it('lists the values added, at most fifty, and counts the rest', () => {
    const values = Array.from({ length: 60 }, (_, i) => `192.0.2.${i}`);
    const mail = immediateMail(alertItem(listEvent('GREEN', values), 'en', HUB, ZONE), 'en');
    expect(mail.subject).toBe(
      '[TLP:GREEN] renkei: Indicators were added to a list: Secret list GREEN',
    );
    expect(mail.text).toContain('Indicators added (60): 192.0.2.0, ');
    expect(mail.text).toContain('192.0.2.49 (+10)');
    expect(mail.text).not.toContain('192.0.2.50');
    expect(mail.text).toContain(`${HUB}/lists/l-GREEN`);
  });

  it('sends no values of an AMBER+STRICT list', () => {
    const mail = immediateMail(
      alertItem(listEvent('AMBER_STRICT', ['198.51.100.7']), 'ja', HUB, ZONE),
      'ja',
    );
    expect(mail.text).not.toContain('198.51.100.7');
    expect(mail.subject).not.toContain('Secret');
    expect(mail.text).toContain(`${HUB}/lists/l-AMBER_STRICT`);
  });
});

describe('chat bodies', () => {
  it('Slack: text and blocks of mrkdwn sections, with text escaped', () => {
    const body = JSON.parse(
      slackBody(alertItem(event('GREEN', 'x <!channel> & y'), 'en', HUB, ZONE)),
    );
    expect(typeof body.text).toBe('string');
    expect(body.text.startsWith('TLP:GREEN ')).toBe(true);
    expect(body.blocks).toHaveLength(2);
    for (const b of body.blocks) {
      expect(b).toEqual({ type: 'section', text: { type: 'mrkdwn', text: expect.any(String) } });
    }
    expect(body.blocks[0].text.text).toBe('*TLP:GREEN* A report was published');
    expect(body.blocks[1].text.text).toContain('x &lt;!channel&gt; &amp; y');
    expect(body.blocks[1].text.text).not.toContain('<!channel>');
  });

  it('Teams: a message with one Adaptive Card attachment, the label first', () => {
    const body = JSON.parse(teamsBody(alertItem(event('AMBER'), 'ja', HUB, ZONE)));
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    const [a] = body.attachments;
    expect(a.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(a.content.type).toBe('AdaptiveCard');
    expect(a.content.version).toBe('1.4');
    expect(a.content.body[0]).toMatchObject({ type: 'TextBlock', text: 'TLP:AMBER' });
    expect(a.content.actions[0]).toEqual({
      type: 'Action.OpenUrl',
      title: 'renkei',
      url: `${HUB}/reports/r-AMBER`,
    });
  });
});

describe('exercise items', () => {
  const drill = (tlp: string) => {
    const e = event(tlp);
    Object.assign(e.report, { exercise: true, exerciseName: 'Z9 scenario' });
    return e;
  };

  it('are marked, with the drill name, in the subject, the body and both chat cards', () => {
    for (const [lang, word] of [
      ['en', 'EXERCISE'],
      ['ja', '訓練'],
    ] as const) {
      const item = alertItem(drill('GREEN'), lang, HUB, ZONE);
      const mail = immediateMail(item, lang);
      for (const out of [mail.subject, mail.text, slackBody(item), teamsBody(item)]) {
        expect(out).toContain(`${word}: Z9 scenario`);
      }
    }
  });

  it('keep the drill name on the hub when the marking keeps content there', () => {
    const item = alertItem(drill('AMBER_STRICT'), 'en', HUB, ZONE);
    expect(immediateMail(item, 'en').subject).toContain('[EXERCISE]');
    expect(JSON.stringify(item)).not.toContain('Z9 scenario');
  });
});

describe('Teams text', () => {
  it('escapes Markdown and defangs URLs in every TextBlock', () => {
    const title = '[Reset](https://evil.example/login) **now**';
    const body = JSON.parse(teamsBody(alertItem(event('GREEN', title), 'en', HUB, ZONE)));
    const texts: string[] = body.attachments[0].content.body.map((b: { text: string }) => b.text);
    expect(texts).toContain('Title: \\[Reset\\]\\(hxxps://evil[.]example/login\\) \\*\\*now\\*\\*');
    expect(texts.join('\n')).not.toMatch(/https?:\/\/evil/);
  });
});

describe('a digest of drills', () => {
  it('says so in its subject; a mixed one leaves that to each item', () => {
    const d = alertItem(event('GREEN'), 'en', HUB, ZONE);
    const x = { ...d, exercise: true };
    expect(digestMail([x, x], 'en', 'daily', 'daily:2026-12-05').subject).toContain('[EXERCISE]');
    expect(digestMail([x, d], 'en', 'daily', 'daily:2026-12-05').subject).not.toContain('EXERCISE');
  });
});
