import fc from 'fast-check';
import { fold, Redaction, RedactionKind, ScrubContext, scrub, scrubAll } from './scrubber';

const higashi: ScrubContext = {
  organisationNames: ['Higashi Denryoku', '東電力株式会社', '東電力'],
  domains: ['higashi-denryoku.example'],
  addressRanges: ['198.51.100.0/24', '2001:db8:1::/48'],
  extraTerms: ['Project Kirin'],
};

const empty: ScrubContext = {
  organisationNames: [],
  domains: [],
  addressRanges: [],
  extraTerms: [],
};

const REPLACEMENTS: Record<RedactionKind, string> = {
  email: '[email]',
  phone: '[phone]',
  organisation_name: '[organisation]',
  person_name: '[person-name]',
  postal_address: '[address]',
  account: '[account]',
  card_number: '[card-number]',
  my_number: '[my-number]',
  domain: '[domain]',
  host: '[host]',
  ip_address: '[ip-address]',
  term: '[term]',
};

/** What every result must satisfy, whatever the input: offsets, order, and the rebuilt text. */
function expectConsistent(original: string, result: { text: string; redactions: Redaction[] }) {
  let rebuilt = '';
  let last = 0;
  for (const r of result.redactions) {
    expect(r.start).toBeGreaterThanOrEqual(last); // sorted and not overlapping
    expect(r.end).toBeGreaterThan(r.start);
    expect(original.slice(r.start, r.end)).toBe(r.original);
    expect(r.replacement).toBe(REPLACEMENTS[r.kind]);
    rebuilt += original.slice(last, r.start) + r.replacement;
    last = r.end;
  }
  expect(result.text).toBe(rebuilt + original.slice(last));
}

/** Expected redactions, located in order in the original text (so offsets are independent). */
function locate(original: string, expected: [RedactionKind, string][]) {
  let from = 0;
  return expected.map(([kind, text]) => {
    const start = original.indexOf(text, from);
    expect(start).toBeGreaterThanOrEqual(0);
    from = start + text.length;
    return {
      start,
      end: start + text.length,
      kind,
      original: text,
      replacement: REPLACEMENTS[kind],
      keepable: expect.any(Boolean),
    };
  });
}

describe('scrub', () => {
  it('redacts what identifies the author in a mixed Japanese/English report', () => {
    const report =
      '2026-11-22 09:14 JST、東電力株式会社の制御系ネットワークで不審な通信を検知しました。' +
      'Higashi Denryoku SOC observed beacons from 203.0.113.45 and 2001:db8:ffff::66 to ' +
      '198.51.100.17 and 2001:db8:1::5 (port 443), exploiting CVE-2024-12345 in FooVPN 1.2.3. ' +
      'Portal: https://vpn.higashi-denryoku.example/login, historian hist01.plant.internal. ' +
      '連絡先: soc@higashi-denryoku.example、03-1234-5678、090-1234-5678、+81 3-1234-5678、' +
      '０３－１２３４－５６７８。Project Kirin の影響は東電力の2拠点。' +
      '詳細は higashi-denryoku.example の担当まで。';
    const result = scrub(report, higashi);

    expect(result.text).toBe(
      '2026-11-22 09:14 JST、[organisation]の制御系ネットワークで不審な通信を検知しました。' +
        '[organisation] SOC observed beacons from 203.0.113.45 and 2001:db8:ffff::66 to ' +
        '[ip-address] and [ip-address] (port 443), exploiting CVE-2024-12345 in FooVPN 1.2.3. ' +
        'Portal: https://[host]/login, historian [host]. ' +
        '連絡先: [email]、[phone]、[phone]、[phone]、' +
        '[phone]。[term] の影響は[organisation]の2拠点。' +
        '詳細は [domain] の担当まで。',
    );
    expect(result.redactions).toEqual(
      locate(report, [
        ['organisation_name', '東電力株式会社'],
        ['organisation_name', 'Higashi Denryoku'],
        ['ip_address', '198.51.100.17'],
        ['ip_address', '2001:db8:1::5'],
        ['host', 'vpn.higashi-denryoku.example'],
        ['host', 'hist01.plant.internal'],
        ['email', 'soc@higashi-denryoku.example'],
        ['phone', '03-1234-5678'],
        ['phone', '090-1234-5678'],
        ['phone', '+81 3-1234-5678'],
        ['phone', '０３－１２３４－５６７８'],
        ['term', 'Project Kirin'],
        ['organisation_name', '東電力'],
        ['domain', 'higashi-denryoku.example'],
      ]),
    );
    expectConsistent(report, result);
  });

  it.each([
    '2026-11-22',
    '2026/11/22 09:00-17:30',
    '2026年11月22日 09時14分',
    '12:34:56',
    'CVE-2024-12345',
    'CVE-2024-0123',
    'FooVPN 1.2.3',
    'v2.10.4',
    'OID 1.3.6.1.4.1',
    'port 8080',
    'TCP/443',
    '12345',
    'PID 0123',
    'KB5034441',
    'build 20261122',
    'ISO 27001',
    '03-1234-56789',
    '1+1=2',
    'C++11',
    '00:1a:2b:3c:4d:5e',
    'std::map',
    '203.0.113.45',
    '198.51.101.7',
    '2001:db8:2::1',
    '::ffff:203.0.113.45',
    'a 203.0.113.45:8443 beacon to evil.example.net',
  ])('leaves %j untouched', (text) => {
    expect(scrub(text, higashi)).toEqual({ text, redactions: [] });
  });

  it.each([
    ['03-1234-5678'],
    ['090-1234-5678'],
    ['0120-123-456'],
    ['0800-123-4567'],
    ['(03)1234-5678'],
    ['(03) 1234-5678'],
    ['03(1234)5678'],
    ['03 1234 5678'],
    ['09012345678'],
    ['03ー1234ー5678'],
    ['03‐1234‐5678'],
    ['（０３）１２３４－５６７８'],
    ['０９０ー１２３４ー５６７８'],
    ['+81 3-1234-5678'],
    ['+81-90-1234-5678'],
    ['+81 (0)3-1234-5678'],
    ['+819012345678'],
    ['+1 202 555 0147'],
    ['+1 (202) 555-0147'],
    ['+44 20 7946 0958'],
    ['+44 (0)20 7946 0958'],
    ['＋８１ ３－１２３４－５６７８'],
  ])('redacts the phone number %s', (phone) => {
    const text = `TEL: ${phone}（代表）`;
    const result = scrub(text, empty);
    expect(result.text).toBe('TEL: [phone]（代表）');
    expect(result.redactions).toEqual([
      {
        start: 5,
        end: 5 + phone.length,
        kind: 'phone',
        original: phone,
        replacement: '[phone]',
        keepable: true,
      },
    ]);
  });

  it('maps a full-width phone number back to its UTF-16 offsets in the original', () => {
    const text = '電話：０３－１２３４－５６７８（平日9時〜17時）';
    const result = scrub(text, empty);
    expect(result.text).toBe('電話：[phone]（平日9時〜17時）');
    expect(result.redactions).toEqual([
      {
        start: 3,
        end: 15,
        kind: 'phone',
        original: '０３－１２３４－５６７８',
        replacement: '[phone]',
        keepable: true,
      },
    ]);
  });

  it('stops an international number before a number that follows it', () => {
    expect(scrub('+1 202 555 0147 2026', empty).text).toBe('[phone] 2026');
    expect(scrub('+44 20 7946 0958 203.0.113.45', empty).text).toBe('[phone] 203.0.113.45');
    expect(scrub('03-1234-5678 2026-11-22', empty).text).toBe('[phone] 2026-11-22');
    expect(scrub('+44 20 7946 0958 03-1234-5678', empty).text).toBe('[phone] [phone]');
  });

  it('redacts any e-mail address, also full-width, defanged or glued to Japanese', () => {
    expect(scrub('yui.sato@example.com と soc+ics@partner.example.co.jp', empty).text).toBe(
      '[email] と [email]',
    );
    expect(scrub('連絡先はyui@higashi-denryoku.exampleまで', higashi).text).toBe(
      '連絡先は[email]まで',
    );
    expect(scrub('ｙｕｉ＠ｅｘａｍｐｌｅ．ｃｏｍ', empty).text).toBe('[email]');
    expect(scrub('yui[at]example[.]com', empty).text).toBe('[email]');
    expect(scrub("'soc@example.jp'", empty).text).toBe("'[email]'");
    // Not addresses: no domain, no dot, a one-letter TLD.
    for (const text of ['user@localhost', '@handle', 'a@b.c', 'x @ y.com']) {
      expect(scrub(text, empty).text).toBe(text);
    }
  });

  it('matches organisation names case-insensitively, across widths and separators', () => {
    for (const text of [
      'HIGASHI DENRYOKU',
      'ＨＩＧＡＳＨＩ　ＤＥＮＲＹＯＫＵ',
      'Higashi-Denryoku',
      'HigashiDenryoku',
      'Higashi\nDenryoku',
      'Higa\u00adshi Denryoku',
    ]) {
      expect(scrub(`by ${text}.`, higashi).text).toBe('by [organisation].');
    }
  });

  it('matches English names on word boundaries and Japanese names as substrings', () => {
    expect(scrub('Higashi Denryokusha and xHigashi Denryoku', higashi).text).toBe(
      'Higashi Denryokusha and xHigashi Denryoku',
    );
    expect(scrub('Higashi Denryokuの設備', higashi).text).toBe('[organisation]の設備');
    expect(scrub('東電力の設備', higashi).text).toBe('[organisation]の設備');
    // Substrings over-redact: 関東電力 is another company. The author sees it in the preview.
    expect(scrub('関東電力', higashi).text).toBe('関[organisation]');
  });

  it('matches abbreviated legal forms and half-width katakana', () => {
    expect(scrub('東電力(株)と東電力㈱と東電力（株）', higashi).text).toBe(
      '[organisation]と[organisation]と[organisation]',
    );
    const kana = { ...empty, organisationNames: ['ヒガシ・デンリョク'] };
    expect(scrub('ﾋｶﾞｼﾃﾞﾝﾘｮｸの', kana)).toEqual({
      text: '[organisation]の',
      redactions: [
        {
          start: 0,
          end: 10,
          kind: 'organisation_name',
          original: 'ﾋｶﾞｼﾃﾞﾝﾘｮｸ',
          replacement: '[organisation]',
          keepable: false,
        },
      ],
    });
    expect(scrub('ヒガシ・デンリョク', kana).text).toBe('[organisation]');
  });

  it('redacts the domain and hosts under it, in URLs and in every IDN form', () => {
    const idn = { ...empty, domains: ['東電力.example'] };
    expect(scrub('www.東電力.example と mail.xn--tfrt89bfx8a.example', idn).text).toBe(
      '[host] と [host]',
    );
    const puny = { ...empty, domains: ['xn--tfrt89bfx8a.example'] };
    expect(scrub('東電力.exampleのサイト', puny).text).toBe('[domain]のサイト');
    expect(
      scrub(
        'https://vpn.higashi-denryoku.example:8443/x _dmarc.higashi-denryoku.example ' +
          'ｈｉｇａｓｈｉ－ｄｅｎｒｙｏｋｕ．ｅｘａｍｐｌｅ higashi-denryoku[.]example',
        { ...empty, domains: ['Higashi-Denryoku.example.'] },
      ).text,
    ).toBe('https://[host]:8443/x [host] [domain] [domain]');
    // A look-alike that embeds the domain still names the target.
    expect(scrub('higashi-denryoku.example.login-check.top', higashi).text).toBe(
      '[domain].login-check.top',
    );
    // Other names that merely contain it are other domains.
    expect(scrub('nothigashi-denryoku.example', { ...empty, domains: higashi.domains }).text).toBe(
      'nothigashi-denryoku.example',
    );
  });

  it('redacts names under private-network suffixes only', () => {
    expect(
      scrub('scada01.plant.internal, fw.corp, HIST01.PLANT.LAN, nas.local, wiki.intra', empty).text,
    ).toBe('[host], [host], [host], [host], [host]');
    for (const text of [
      'the local network',
      'a .local zone',
      'scada.corp.example.com',
      'foo.localhost',
      'a corporate lan',
    ]) {
      expect(scrub(text, empty).text).toBe(text);
    }
  });

  it("redacts addresses in the organisation's ranges and keeps the others", () => {
    const text =
      '198.51.100.7:8080, 198[.]51[.]100[.]8, [2001:db8:1::5]:443, ::ffff:198.51.100.9, ' +
      'src:2001:db8:1::a. ip:2001:db8:1::b 198.51.100.0/24 / 203.0.113.45, 2001:db8:2::1, ' +
      '198.51.101.7';
    expect(scrub(text, higashi).text).toBe(
      '[ip-address]:8080, [ip-address], [[ip-address]]:443, [ip-address], ' +
        'src:[ip-address]. ip:[ip-address] [ip-address]/24 / 203.0.113.45, 2001:db8:2::1, ' +
        '198.51.101.7',
    );
    expectConsistent(text, scrub(text, higashi));
  });

  it('refuses a range it cannot read rather than publishing the addresses in it', () => {
    expect(() => scrub('x', { ...empty, addressRanges: ['198.51.100.0/33'] })).toThrow(
      'address range "198.51.100.0/33" is not an IP address or CIDR range',
    );
    // ipaddr.js would read this as octal 8.0.0.0/8.
    expect(() => scrub('x', { ...empty, addressRanges: ['010.0.0.0/8'] })).toThrow(
      'is not an IP address or CIDR range',
    );
  });

  it('redacts extra terms case-insensitively and across widths', () => {
    const ctx = { ...empty, extraTerms: ['Project Kirin', '第二変電所'] };
    expect(scrub('PROJECT-KIRIN, ｐｒｏｊｅｃｔ ｋｉｒｉｎ, 第二変電所で', ctx).text).toBe(
      '[term], [term], [term]で',
    );
  });

  it('keeps the longest of overlapping matches, the earliest on ties', () => {
    // 東電力 lies inside 東電力株式会社; the longer name wins, once.
    expect(scrub('東電力株式会社', higashi).redactions).toEqual([
      {
        start: 0,
        end: 7,
        kind: 'organisation_name',
        original: '東電力株式会社',
        replacement: '[organisation]',
        keepable: false,
      },
    ]);
    // The e-mail contains the domain and the name; the host contains the name.
    expect(scrub('soc@higashi-denryoku.example', higashi).redactions.map((r) => r.kind)).toEqual([
      'email',
    ]);
    expect(scrub('vpn.higashi-denryoku.example', higashi).redactions.map((r) => r.kind)).toEqual([
      'host',
    ]);
    // Two terms of equal length overlap on "Plant": the earlier one wins.
    const ties = { ...empty, extraTerms: ['Plant Alpha', 'Kirin Plant'] };
    const result = scrub('Kirin Plant Alpha', ties);
    expect(result.text).toBe('[term] Alpha');
    expect(result.redactions.map((r) => [r.start, r.end])).toEqual([[0, 11]]);
    // An extra term that is exactly the domain: one redaction, with the more specific kind.
    const same = { ...empty, domains: ['higashi.example'], extraTerms: ['higashi.example'] };
    expect(scrub('higashi.example', same).redactions.map((r) => r.kind)).toEqual(['domain']);
  });

  it('with an empty context redacts only what identifies anyone', () => {
    const text =
      'Higashi Denryoku: soc@higashi-denryoku.example, 03-1234-5678, ' +
      'https://vpn.higashi-denryoku.example/, nas01.corp, 198.51.100.17, Project Kirin';
    expect(scrub(text, empty).text).toBe(
      'Higashi Denryoku: [email], [phone], ' +
        'https://vpn.higashi-denryoku.example/, [host], 198.51.100.17, Project Kirin',
    );
    expect(scrub('', empty)).toEqual({ text: '', redactions: [] });
    expect(scrub('', higashi)).toEqual({ text: '', redactions: [] });
  });

  it('never leaves an identifying fragment and keeps the indicators around it', () => {
    const identifying = [
      'soc@higashi-denryoku.example',
      '03-1234-5678',
      '+81 3-1234-5678',
      '+44 20 7946 0958',
      '０３－１２３４－５６７８',
      'Higashi Denryoku',
      '東電力株式会社',
      '東電力',
      'vpn.higashi-denryoku.example',
      '198.51.100.17',
      '2001:db8:1::5',
      'hist01.plant.internal',
      'Project Kirin',
    ];
    const secrets = [
      '1234',
      '5678',
      '7946',
      'igashi',
      '東電力',
      'Kirin',
      '198.51.100',
      ':db8:1:',
      'hist01',
    ];
    const useful = [
      '203.0.113.45',
      '2001:db8:2::1',
      'CVE-2024-30088',
      '2026-11-22',
      'FooVPN 1.2.3',
    ];
    const filler = ['を検知', 'observed', '通信', 'from', 'https://', '（', '）'];
    const fragment = fc.constantFrom(...identifying, ...useful, ...filler);
    const separator = fc.constantFrom(' ', '、', '。', '\n', ', ');
    fc.assert(
      fc.property(fc.array(fc.tuple(fragment, separator), { maxLength: 12 }), (pieces) => {
        const text = pieces.map(([f, s]) => f + s).join('');
        const result = scrub(text, higashi);
        expectConsistent(text, result);
        // Nor a recognisable piece of one (the tail of a number cut in two, say).
        for (const secret of secrets) expect(result.text).not.toContain(secret);
        for (const [f] of pieces) if (useful.includes(f)) expect(result.text).toContain(f);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps offsets consistent on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expectConsistent(text, scrub(text, higashi));
      }),
      { numRuns: 500 },
    );
  });

  // Each of these makes a backtracking regex or a rescan per match quadratic or worse; 200 KB
  // (twice the largest report) must stay far below a second.
  it.each([
    ['letters', 'a'.repeat(200_000)],
    ['at signs', 'a@'.repeat(100_000)],
    ['a long local part', 'a'.repeat(100_000) + '@' + 'b'.repeat(100_000)],
    ['dotted labels', 'a.'.repeat(100_000) + 'local'],
    ['repeated domains', 'higashi-denryoku.example.'.repeat(8_000)],
    ['digits', '0'.repeat(200_000)],
    ['dashed digits', '03-1234-'.repeat(25_000)],
    ['plus signs', '+1 2'.repeat(50_000)],
    ['colons', '1:'.repeat(100_000)],
    ['hex letters glued to words', 'xa '.repeat(66_000)],
    ['dotted digits', '1.'.repeat(100_000)],
    ['separators after a name', 'Higashi' + ' '.repeat(200_000) + 'x'],
    ['full-width', '０３－'.repeat(66_000)],
    ['half-width kana', 'ｶﾞ'.repeat(100_000)],
  ])('finishes quickly on pathological input: %s', (_name, text) => {
    const started = performance.now();
    const result = scrub(text, higashi);
    expect(performance.now() - started).toBeLessThan(1000);
    expectConsistent(text, result);
  });
});

describe('scrubAll', () => {
  it('scrubs every section with one context and keeps absent ones null', () => {
    const result = scrubAll(
      {
        title: '東電力のVPN装置への侵入',
        summary: 'Higashi Denryoku saw 203.0.113.45 reach 198.51.100.17.',
        details: null,
        remediation: undefined,
        contact: 'soc@higashi-denryoku.example / 03-1234-5678',
        notes: '',
      },
      higashi,
    );
    expect(result.sections).toEqual({
      title: '[organisation]のVPN装置への侵入',
      summary: '[organisation] saw 203.0.113.45 reach [ip-address].',
      details: null,
      remediation: null,
      contact: '[email] / [phone]',
      notes: '',
    });
    expect(result.redactions.title).toEqual([
      {
        start: 0,
        end: 3,
        kind: 'organisation_name',
        original: '東電力',
        replacement: '[organisation]',
        keepable: false,
      },
    ]);
    expect(result.redactions.summary.map((r) => [r.kind, r.start, r.end])).toEqual([
      ['organisation_name', 0, 16],
      ['ip_address', 40, 53],
    ]);
    expect(result.redactions.contact.map((r) => r.kind)).toEqual(['email', 'phone']);
    expect(result.redactions.details).toEqual([]);
    expect(result.redactions.remediation).toEqual([]);
    expect(result.redactions.notes).toEqual([]);
  });

  it('returns empty records for no sections', () => {
    expect(scrubAll({}, higashi)).toEqual({ sections: {}, redactions: {} });
  });
});

describe('organisation names with numbers', () => {
  it.each(['Tokyo 2 Power', 'Area 51 Labs', 'Plant 7', 'Bench Operator 0'])(
    'scrubs %s without failing on the pattern',
    (name) => {
      const r = scrub(`Incident at ${name} today.`, {
        organisationNames: [name],
        domains: [],
        addressRanges: [],
        extraTerms: [],
      });
      expect(r.text).not.toContain(name);
      expect(r.redactions.length).toBeGreaterThan(0);
    },
  );
});

// The simplest reading of how names and terms are found, to hold the one-pass scrubber to: every
// start in the folded text, separators skipped inside a match, word boundaries checked at the
// ends, and overlaps settled by sorting every candidate (longest, earliest, more specific kind).
const REFERENCE_SEPARATOR = /^[\s\p{Pd}_\u30fb]$/u;
const spacedWord = (ch: string | undefined) =>
  ch !== undefined &&
  /^[\p{L}\p{N}\p{M}_]$/u.test(ch) &&
  !/^[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]$/u.test(ch);
const charBefore = (s: string, i: number) =>
  i <= 0
    ? undefined
    : String.fromCodePoint(
        s.codePointAt(i - 1 - (/[\udc00-\udfff]/.test(s[i - 1]) && i >= 2 ? 1 : 0))!,
      );
const charAt = (s: string, i: number) =>
  i >= s.length ? undefined : String.fromCodePoint(s.codePointAt(i)!);

function referenceScrub(text: string, names: string[], terms: string[]) {
  const f = fold(text);
  const t = f.text;
  const keyOf = (raw: string) =>
    [...fold(raw).text.trim()].filter((ch) => !REFERENCE_SEPARATOR.test(ch)).join('');
  const needles: [string, RedactionKind][] = [];
  for (const name of names) {
    const folded = fold(name).text.trim();
    const variants = new Set([folded]);
    for (const [full, short] of [
      ['株式会社', '(株)'],
      ['有限会社', '(有)'],
      ['合同会社', '(同)'],
    ]) {
      if (folded.includes(full)) variants.add(folded.replace(full, short));
    }
    for (const v of variants) needles.push([keyOf(v), 'organisation_name']);
  }
  for (const term of terms) needles.push([keyOf(term), 'term']);

  const candidates: { start: number; end: number; kind: RedactionKind }[] = [];
  for (const [key, kind] of needles) {
    if (key === '') continue;
    for (let s = 0; s < t.length; s++) {
      let i = s;
      let k = 0;
      while (k < key.length && i < t.length) {
        if (k > 0 && REFERENCE_SEPARATOR.test(t[i])) {
          i++;
        } else if (t[i] === key[k]) {
          i++;
          k++;
        } else {
          break;
        }
      }
      if (k < key.length) continue;
      if (spacedWord(charAt(key, 0)) && spacedWord(charBefore(t, s))) continue;
      if (spacedWord(charBefore(key, key.length)) && spacedWord(charAt(t, i))) continue;
      candidates.push({ start: f.from[s], end: f.to[i - 1], kind });
    }
  }
  const priority: RedactionKind[] = ['organisation_name', 'term'];
  candidates.sort(
    (x, y) =>
      y.end - y.start - (x.end - x.start) ||
      x.start - y.start ||
      priority.indexOf(x.kind) - priority.indexOf(y.kind),
  );
  const taken = new Uint8Array(text.length);
  const kept = candidates.filter((c) => {
    for (let i = c.start; i < c.end; i++) if (taken[i]) return false;
    taken.fill(1, c.start, c.end);
    return true;
  });
  kept.sort((x, y) => x.start - y.start);
  let out = '';
  let last = 0;
  for (const c of kept) {
    out += text.slice(last, c.start) + REPLACEMENTS[c.kind];
    last = c.end;
  }
  return {
    text: out + text.slice(last),
    redactions: kept.map((c) => ({
      ...c,
      original: text.slice(c.start, c.end),
      replacement: REPLACEMENTS[c.kind],
      keepable: false,
    })),
  };
}

describe('names and terms in one pass', () => {
  const only = (organisationNames: string[], extraTerms: string[]): ScrubContext => ({
    organisationNames,
    domains: [],
    addressRanges: [],
    extraTerms,
  });

  it('agrees with the reference on random texts, names and terms', () => {
    // Letters of both kinds of script, separators, and what folding changes (widths, marks, ㈱,
    // invisible characters); nothing the other detectors react to (digits, @, dots, colons).
    const piece = fc.constantFrom(
      ...[
        'a',
        'b',
        'ab',
        'A',
        'B',
        'é',
        'e\u0301',
        'Ａ',
        'ｂ',
        ' ',
        '-',
        '_',
        '・',
        '\n',
        '\u00ad',
      ],
      ...['東', '電', '力', '東電力', '株式会社', '㈱', '(株)', 'ｶ', 'ﾞ', 'ガ', 'x', 'yz', 'Z'],
    );
    const word = fc.array(piece, { minLength: 1, maxLength: 5 }).map((p) => p.join(''));
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 40 }).map((p) => p.join('')),
        fc.array(word, { maxLength: 3 }),
        fc.array(word, { maxLength: 6 }),
        (text, names, terms) => {
          expect(scrub(text, only(names, terms))).toEqual(referenceScrub(text, names, terms));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('agrees with the reference where terms nest and overlap', () => {
    const piece = fc.constantFrom('a', 'b', ' ', '東', '電');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }).map((p) => p.join('')),
        fc.array(
          fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join('')),
          {
            maxLength: 8,
          },
        ),
        (text, terms) => {
          expect(scrub(text, only([], terms))).toEqual(referenceScrub(text, [], terms));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('redacts every occurrence of a term, also one overlapping another occurrence', () => {
    // 電力電 occurs at 1 and 3; the first loses to 東電力 (as long, earlier), the second must
    // still go.
    expect(scrub('東電力電力電', only([], ['東電力', '電力電'])).text).toBe('[term][term]');
  });

  it('finds a name broken inside a word by a line-end hyphen or spaces', () => {
    expect(scrub('by Higa-\nshi Denryoku.', higashi).text).toBe('by [organisation].');
    expect(scrub('東 電 力の設備', higashi).text).toBe('[organisation]の設備');
  });

  it('reads the text a fixed number of times whatever the number of terms', () => {
    const text = 'Observed beacons to a historian; nothing identifying here. '.repeat(50);
    const terms = Array.from({ length: 200 }, (_, i) => `Project Q${i.toString(36)}x`);
    const readsOfText = (ctx: ScrubContext) => {
      const folded = fold(text).text;
      const exec = jest.spyOn(RegExp.prototype, 'exec');
      try {
        scrub(text, ctx);
        return exec.mock.calls.filter(([s]) => s === folded).length;
      } finally {
        exec.mockRestore();
      }
    };
    expect(readsOfText(only([], terms))).toBe(readsOfText(only([], terms.slice(0, 1))));
  });
});
