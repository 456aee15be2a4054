import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../electron/server/http/static.ts';
import { appContentSecurityPolicy, dashboardUrl, isAllowedExternal, isAppUrl, isTrustedSender } from '../../electron/main/security.ts';

describe('window security rules', () => {
  it("knows the dashboard's own pages", () => {
    expect(isAppUrl(dashboardUrl())).toBe(true);
    expect(isAppUrl(dashboardUrl('/project/abc'))).toBe(true);
    for (const url of ['file:///index.html', 'https://goldloop/index.html', 'app://evil/index.html', 'not a url', 'javascript:alert(1)'])
      expect(isAppUrl(url)).toBe(false);
  });

  it('opens only allow-listed https links outside', () => {
    expect(isAllowedExternal('https://github.com/goldloop/goldloop/issues')).toBe(true);
    for (const url of [
      'http://github.com/',
      'https://github.com.evil.example/',
      'https://user:pw@github.com/',
      'https://github.com:8443/',
      'file:///etc/passwd',
      'vscode://open',
      'https://evil.example/',
    ]) {
      expect(isAllowedExternal(url), url).toBe(false);
    }
  });

  it("keeps the server's policy and shuts the network", () => {
    const csp = appContentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).not.toContain('unsafe');
    expect(csp.split('; ').length).toBe(contentSecurityPolicy(0).split('; ').length);
  });

  it("trusts only the dashboard's webContents showing the app origin", () => {
    const dashboard = {};
    expect(isTrustedSender({ sender: dashboard, senderFrame: { url: dashboardUrl() } }, dashboard)).toBe(true);
    expect(isTrustedSender({ sender: {}, senderFrame: { url: dashboardUrl() } }, dashboard)).toBe(false);
    expect(isTrustedSender({ sender: dashboard, senderFrame: null }, dashboard)).toBe(false);
    expect(isTrustedSender({ sender: dashboard, senderFrame: { url: 'https://evil.example/' } }, dashboard)).toBe(false);
    expect(isTrustedSender({ sender: undefined, senderFrame: { url: dashboardUrl() } }, undefined)).toBe(false);
  });
});
