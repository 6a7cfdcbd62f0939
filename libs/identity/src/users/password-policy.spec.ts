import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  const yui = {
    email: 'yui.sato@higashi-denryoku.example',
    organisationName: 'Higashi Denryoku',
    displayName: 'Yui Sato',
  };

  it('keeps the limits NIST SP 800-63B-4 sets', () => {
    expect(PASSWORD_MIN).toBe(12);
    expect(PASSWORD_MAX).toBe(1024);
  });

  it('accepts a long passphrase', () => {
    expect(passwordProblem('correct horse battery staple ウミガメ 2026')).toBeUndefined();
  });

  it('accepts a Japanese passphrase', () => {
    expect(passwordProblem('ウミガメが海辺で静かに眠っている夜')).toBeUndefined();
  });

  it('rejects common passwords whatever their case', () => {
    expect(passwordProblem('password1234')).toBe('is a commonly used password');
    expect(passwordProblem('qwertyuiop123')).toBe('is a commonly used password');
    expect(passwordProblem('PassWord1234')).toBe('is a commonly used password');
  });

  it("rejects an easily guessed password with zxcvbn's reason", () => {
    expect(passwordProblem('hunter2hunter2')).toBe(
      'is too easy to guess: repeated character patterns like "abcabcabc" are easy to guess',
    );
  });

  it('rejects 11 characters with the length message', () => {
    expect(passwordProblem('Kx9#mQ2vLp7')).toBe('must be at least 12 characters (has 11)');
  });

  it('counts code points after NFKC', () => {
    // Full-width forms normalise one-for-one to ASCII.
    expect(passwordProblem('Ｋｘ９＃ｍＱ２ｖＬｐ７')).toBe(
      'must be at least 12 characters (has 11)',
    );
    expect(passwordProblem('Ｋｘ９＃ｍＱ２ｖＬｐ７＄')).toBeUndefined();
    // Half-width ｶﾞ is two code points that NFKC composes into one: 12 typed, 11 counted.
    expect(passwordProblem('ｳﾐｶﾞﾒが海辺で静かに')).toBe('must be at least 12 characters (has 11)');
    // Each emoji is two UTF-16 units but one character.
    expect(passwordProblem('🔥🔥🔥🔥🔥🔥abcde')).toBe('must be at least 12 characters (has 11)');
    expect(passwordProblem('🔥🌊🗻Kx9#mQ2vL')).toBeUndefined();
  });

  it("rejects a password made of the user's e-mail or organisation", () => {
    // Without the context nothing marks these words as the user's own.
    expect(passwordProblem('HigashiDenryoku2026!')).toBeUndefined();
    expect(passwordProblem('HigashiDenryoku2026!', yui)).toBe(
      'is too easy to guess once your e-mail address, name and organisation name are taken out',
    );
    expect(passwordProblem('YuiSato!2026xx', yui)).toBe(
      'is too easy to guess once your e-mail address, name and organisation name are taken out',
    );
    expect(passwordProblem('yui.sato@higashi-denryoku.example', yui)).toBe(
      'is too easy to guess: there should not be any personal or page related data',
    );
  });

  it('accepts a strong passphrase that merely mentions the organisation', () => {
    expect(passwordProblem('Higashi Denryoku keeps the lights on in Kanto', yui)).toBeUndefined();
  });

  it('accepts exactly 1024 characters and rejects 1025', () => {
    const strong = 'Kx9#mQ2v';
    expect(passwordProblem(strong + 'a'.repeat(PASSWORD_MAX - strong.length))).toBeUndefined();
    expect(passwordProblem(strong + 'a'.repeat(PASSWORD_MAX + 1 - strong.length))).toBe(
      'must be at most 1024 characters (has 1025)',
    );
  });

  it('returns on 1024 varied characters', () => {
    const varied = Array.from({ length: PASSWORD_MAX }, (_, i) =>
      String.fromCharCode(33 + ((i * 7919 + 13) % 94)),
    ).join('');
    expect(passwordProblem(varied, yui)).toBeUndefined();
  });
});
