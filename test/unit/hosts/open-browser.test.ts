/**
 * `serve --open`: the console opens in the default browser where there is a desktop, and a
 * missing or failing opener never stops the server. The opener is a real executable on a PATH
 * made for the test (a shell script that records its arguments), so nothing opens on the machine
 * that runs the tests.
 */
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { browserCommand, hasDesktop, openInBrowser } from '../../../src-main/hosts/open-browser.js';

const URL_WITH_QUERY = 'http://127.0.0.1:43123/?secret=abc_DEF-123&x=1';

describe('hasDesktop', () => {
  it('is true on macOS and Windows, and elsewhere only under X11 or Wayland', () => {
    expect(hasDesktop({ platform: 'darwin', env: {} })).toBe(true);
    expect(hasDesktop({ platform: 'win32', env: {} })).toBe(true);
    expect(hasDesktop({ platform: 'linux', env: {} })).toBe(false);
    expect(hasDesktop({ platform: 'linux', env: { DISPLAY: '' } })).toBe(false);
    expect(hasDesktop({ platform: 'linux', env: { DISPLAY: ':0' } })).toBe(true);
    expect(hasDesktop({ platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' } })).toBe(true);
    expect(hasDesktop({ platform: 'freebsd', env: { DISPLAY: ':1' } })).toBe(true);
  });
});

describe('browserCommand', () => {
  it("uses each platform's own opener and passes the URL as one argument", () => {
    expect(browserCommand(URL_WITH_QUERY, 'linux')).toEqual({ command: 'xdg-open', args: [URL_WITH_QUERY] });
    expect(browserCommand(URL_WITH_QUERY, 'darwin')).toEqual({ command: 'open', args: [URL_WITH_QUERY] });
    expect(browserCommand(URL_WITH_QUERY, 'win32')).toEqual({
      command: 'rundll32',
      args: ['url.dll,FileProtocolHandler', URL_WITH_QUERY],
    });
  });
});

describe.skipIf(process.platform === 'win32')('openInBrowser', () => {
  let bin: string;
  let record: string;
  beforeEach(async () => {
    bin = await mkdtemp(join(tmpdir(), 'scimulator-opener-'));
    record = join(bin, 'opened.txt');
  });

  /** An executable `name` in `bin` that writes its arguments, one per line, to `record`. */
  async function fakeOpener(name: string, exitCode = 0): Promise<void> {
    const script = join(bin, name);
    await writeFile(script, `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\nexit ${exitCode}\n`);
    await chmod(script, 0o755);
  }

  async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const opened = () => readFile(record, 'utf8').catch(() => undefined);

  it('runs xdg-open with the exact URL when there is a display', async () => {
    await fakeOpener('xdg-open');
    const reports: string[] = [];
    const tried = openInBrowser(URL_WITH_QUERY, { platform: 'linux', env: { PATH: bin, DISPLAY: ':0' } }, (line) => reports.push(line));
    expect(tried).toBe(true);
    expect(await eventually(opened, 'xdg-open to run')).toBe(`${URL_WITH_QUERY}\n`);
    expect(reports).toEqual([]);
  });

  it('runs open on macOS', async () => {
    await fakeOpener('open');
    expect(openInBrowser(URL_WITH_QUERY, { platform: 'darwin', env: { PATH: bin } }, () => undefined)).toBe(true);
    expect(await eventually(opened, 'open to run')).toBe(`${URL_WITH_QUERY}\n`);
  });

  it('does not try without a display', async () => {
    await fakeOpener('xdg-open');
    const reports: string[] = [];
    expect(openInBrowser(URL_WITH_QUERY, { platform: 'linux', env: { PATH: bin } }, (line) => reports.push(line))).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await opened()).toBeUndefined();
    expect(reports).toEqual([]);
  });

  it('reports a missing opener in one line instead of failing', async () => {
    const reports: string[] = [];
    expect(() => openInBrowser(URL_WITH_QUERY, { platform: 'linux', env: { PATH: bin, DISPLAY: ':0' } }, (line) => reports.push(line))).not.toThrow();
    const [line] = await eventually(async () => (reports.length > 0 ? reports : undefined), 'the report');
    expect(reports).toHaveLength(1);
    expect(line).toBe('Could not open a browser (xdg-open: not found); open the Console URL above yourself.');
  });

  it('reports an opener that fails', async () => {
    await fakeOpener('xdg-open', 3);
    const reports: string[] = [];
    openInBrowser(URL_WITH_QUERY, { platform: 'linux', env: { PATH: bin, DISPLAY: ':0' } }, (line) => reports.push(line));
    await eventually(async () => (reports.length > 0 ? reports : undefined), 'the report');
    expect(reports).toEqual(['Could not open a browser (xdg-open: exited with code 3); open the Console URL above yourself.']);
  });
});
