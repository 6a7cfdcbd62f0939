import { applyKeeps, RedactionKind, ScrubContext, scrub } from './scrubber';

// Issue #12 item 5: personal and internal data the scrubber used to keep, and the reverse (an
// attacker's address the author must be able to keep, their own data they must not).

const higashi: ScrubContext = {
  organisationNames: ['Higashi Denryoku', '東電力株式会社'],
  domains: ['higashi-denryoku.example'],
  addressRanges: ['198.51.100.0/24'],
  extraTerms: [],
  personNames: ['Yui Sato', '佐藤 結', 'Kenji Tanaka'],
  emails: ['yui.private@mail.example'],
};

const kinds = (text: string, ctx = higashi) =>
  scrub(text, ctx).redactions.map((r): [RedactionKind, string] => [r.kind, r.original]);

describe('the organisation’s own users', () => {
  it.each([
    ['Report written by Yui Sato.', 'Yui Sato'],
    ['Report written by SATO Yui.', 'SATO Yui'],
    ['Sato-san confirmed the alert', 'Sato-san'],
    ['担当：佐藤 結', '佐藤 結'],
    ['担当の佐藤結が確認', '佐藤結'],
    ['佐藤さんが確認しました', '佐藤さん'],
    ['Kenji Tanaka (org admin) disabled the account', 'Kenji Tanaka'],
  ])('redacts a display name in %j', (text, name) => {
    expect(kinds(text)).toEqual([['person_name', name]]);
  });

  it('redacts a user’s e-mail address outside the organisation’s domains', () => {
    const r = scrub('cc yui.private@mail.example', higashi).redactions;
    expect(r.map((x) => [x.kind, x.original, x.keepable])).toEqual([
      ['email', 'yui.private@mail.example', false],
    ]);
  });

  it('leaves words that merely contain a name alone', () => {
    expect(kinds('Satoshi and Yuina reviewed it')).toEqual([]);
  });

  it('leaves a one-word display name in a spaced script alone: it names a role or mailbox', () => {
    const ctx = { ...higashi, personNames: ['soc', 'Admin', '佐藤結'] };
    expect(kinds('the soc admin asked 佐藤結', ctx)).toEqual([['person_name', '佐藤結']]);
  });
});

describe('Japanese names and addresses', () => {
  it.each([
    ['山田太郎様からの電話', '山田太郎様'],
    ['鈴木 一郎 氏に連絡', '鈴木 一郎 氏'],
    ['タナカさんに確認', 'タナカさん'],
  ])('redacts a name with an honorific in %j', (text, name) => {
    expect(kinds(text, empty())).toEqual([['person_name', name]]);
  });

  it.each([
    ['〒100-0005 東京都千代田区丸の内1-2-3', ['〒100-0005', '東京都千代田区丸の内1-2-3']],
    ['住所: 大阪府大阪市北区梅田3丁目1番1号', ['大阪府大阪市北区梅田3丁目1番1号']],
    ['横浜市西区みなとみらい2-3-1 にある拠点', ['横浜市西区みなとみらい2-3-1']],
    ['〒 060-0001', ['〒 060-0001']],
  ])('redacts the postcode and street address in %j', (text, parts) => {
    expect(kinds(text, empty())).toEqual(parts.map((p) => ['postal_address', p]));
  });

  it.each(['東京都の複数の事業者で観測', '大阪市内の変電所', 'prefecture-wide outage'])(
    'keeps a region without a street: %j',
    (text) => {
      expect(kinds(text, empty())).toEqual([]);
    },
  );
});

describe('phone numbers', () => {
  it.each([
    '0312345678',
    '０３１２３４５６７８',
    '０９０１２３４５６７８',
    '81-3-1234-5678',
    '81 90 1234 5678',
    '+81312345678',
    '+81-3-1234-5678',
  ])('redacts %s', (phone) => {
    expect(kinds(`TEL ${phone} まで`, empty())).toEqual([['phone', phone]]);
  });

  it.each(['build 20261122', 'ID 1234567890123456', 'PID 0123', 'KB5034441'])(
    'keeps %j',
    (text) => {
      expect(kinds(text, empty())).toEqual([]);
    },
  );
});

describe('e-mail addresses', () => {
  it.each([
    ['連絡は佐々木@example.jp へ', '佐々木@example.jp'],
    ['mail: jürgen@example.de', 'jürgen@example.de'],
    ['soc (at) example (dot) jp', 'soc (at) example (dot) jp'],
    ['soc(at)example(dot)co(dot)jp', 'soc(at)example(dot)co(dot)jp'],
    ['soc [at] example [dot] jp', 'soc [at] example [dot] jp'],
  ])('redacts %j', (text, address) => {
    expect(kinds(text, empty())).toEqual([['email', address]]);
  });
});

describe('internal host names and directory accounts', () => {
  it.each([
    ['printer01.local', 'host'],
    ['dc01.corp.internal', 'host'],
    ['nas.home.arpa', 'host'],
    ['files.lan', 'host'],
    ['ws-yui01', 'host'],
    ['\\\\fileserver02\\share', 'host'],
    ['HIGASHI\\ysato', 'account'],
    ['CN=Yui,OU=SOC,DC=higashi,DC=local', 'account'],
  ])('redacts %s', (name, kind) => {
    const text = `seen on ${name} today`;
    const r = scrub(text, empty()).redactions;
    expect(r.map((x) => x.kind)).toEqual([kind]);
    expect(text.slice(r[0].start, r[0].end)).toContain(name.replace(/^\\\\/, '').slice(0, 6));
  });

  it.each([
    'CVE-2024-12345',
    'MS17-010',
    'T1059.001',
    'APT29',
    'SHA-256',
    'UTF-8',
    'x86-64',
    'HKLM\\Software\\Microsoft\\Windows\\Run',
    'C:\\Windows\\System32\\cmd.exe',
    'user@localhost',
    'a local operator on the lan',
  ])('keeps %j', (text) => {
    expect(kinds(text, empty())).toEqual([]);
  });
});

describe('addresses written as numbers', () => {
  it.each(['3325256705', '0xC6336401', '0xc6336401'])(
    'redacts %s inside the organisation’s range',
    (n) => {
      expect(kinds(`beacon to ${n}`)).toEqual([['ip_address', n]]);
    },
  );

  it('keeps an address outside the ranges written as a number', () => {
    expect(kinds('beacon to 3405803821')).toEqual([]); // 203.0.113.45
  });
});

describe('card numbers and My Number', () => {
  it.each(['4111 1111 1111 1111', '4111-1111-1111-1111', '5500005555555559', '378282246310005'])(
    'redacts the Luhn-valid card number %s',
    (n) => {
      expect(kinds(`card ${n} used`, empty())).toEqual([['card_number', n]]);
    },
  );

  it('keeps a number that fails the Luhn check', () => {
    expect(kinds('ticket 4111 1111 1111 1112', empty())).toEqual([]);
  });

  it.each(['123456789018', '1234 5678 9018'])('redacts the My Number %s', (n) => {
    expect(kinds(`個人番号 ${n}`, empty())).toEqual([['my_number', n]]);
  });

  it('keeps twelve digits whose check digit is wrong', () => {
    expect(kinds('order 123456789012', empty())).toEqual([]);
  });
});

describe('keeping an indicator the scrubber flagged', () => {
  const text = 'Phish from attacker@evil.example to yui@higashi-denryoku.example (Yui Sato)';

  it('marks what the author may keep and what they may not', () => {
    const r = scrub(text, higashi).redactions;
    expect(r.map((x) => [x.original, x.keepable])).toEqual([
      ['attacker@evil.example', true],
      ['yui@higashi-denryoku.example', false],
      ['Yui Sato', false],
    ]);
  });

  it('keeps a kept span in the text and redacts the rest', () => {
    const result = scrub(text, higashi);
    const kept = applyKeeps(text, result.redactions, [result.redactions[0].start]);
    expect(kept.text).toBe('Phish from attacker@evil.example to [email] ([person-name])');
    expect(kept.refused).toEqual([]);
  });

  it('refuses to keep the organisation’s own data', () => {
    const result = scrub(text, higashi);
    const own = result.redactions.filter((r) => !r.keepable).map((r) => r.start);
    const kept = applyKeeps(text, result.redactions, own);
    expect(kept.text).toBe(result.text);
    expect(kept.refused).toEqual(own);
  });

  it('refuses a keep that names no redaction', () => {
    const result = scrub(text, higashi);
    expect(applyKeeps(text, result.redactions, [3]).refused).toEqual([3]);
  });

  it.each([
    'attacker@higashi-denryoku.example.evil.example',
    'Higashi Denryoku',
    '198.51.100.7',
    'Project at vpn.higashi-denryoku.example',
  ])('never offers to keep own data in %j', (own) => {
    for (const r of scrub(own, higashi).redactions) expect(r.keepable).toBe(false);
  });
});

function empty(): ScrubContext {
  return { organisationNames: [], domains: [], addressRanges: [], extraTerms: [] };
}
