import { inDomains } from './email-proof';

describe('inDomains', () => {
  const domains = ['minami-grid.example'];

  it('accepts the domain itself and its subdomains', () => {
    expect(inDomains('ciso@minami-grid.example', domains)).toBe(true);
    expect(inDomains('soc@ops.minami-grid.example', domains)).toBe(true);
    expect(inDomains('SOC@Minami-Grid.Example', domains)).toBe(true);
  });

  it('refuses look-alikes that merely end with the same letters', () => {
    expect(inDomains('ciso@evil-minami-grid.example', domains)).toBe(false);
    expect(inDomains('ciso@minami-grid.example.evil', domains)).toBe(false);
    expect(inDomains('minami-grid.example@evil.example', domains)).toBe(false);
  });

  it('refuses everything when the organisation has no domains', () => {
    expect(inDomains('ciso@minami-grid.example', [])).toBe(false);
  });
});
