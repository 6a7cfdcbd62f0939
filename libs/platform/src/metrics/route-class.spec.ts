import { routeClass } from './metrics';

describe('routeClass', () => {
  it('counts every console route as pages (CONSOLE_ROUTES in the console controller)', () => {
    for (const path of [
      '/',
      '/login',
      '/inbox',
      '/reports/0b6b4f3e',
      '/write/abc',
      '/admin',
      '/admin/tokens',
      '/setup',
      '/assets/index-abc.js',
    ]) {
      expect({ path, route: routeClass(path) }).toEqual({ path, route: 'pages' });
    }
  });

  it('keeps other paths apart', () => {
    expect(routeClass('/administrator')).toBe('other');
    expect(routeClass('/setup/x')).toBe('other');
  });
});
