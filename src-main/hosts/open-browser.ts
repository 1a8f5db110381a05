/**
 * Opens a URL in the user's default browser, for `scimulator serve --open` (which `npm start`
 * uses when the desktop app cannot run). Best effort by design: the server must keep serving
 * where no browser can be shown (a server over SSH, a container, a desktop without xdg-open), so
 * nothing here throws; a failure is reported in one line and the printed URL remains the way in.
 * Uses the platform's own opener, so there is no dependency to install.
 */
import { spawn } from 'node:child_process';

export interface Desktop {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
}

const THIS_MACHINE: Desktop = { platform: process.platform, env: process.env };

/** Whether a window can be shown: always on macOS and Windows; elsewhere only under X11 or Wayland. */
export function hasDesktop({ platform, env }: Desktop = THIS_MACHINE): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** The platform's "open this with the default application" command, without a shell in between. */
export function browserCommand(url: string, platform: NodeJS.Platform): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  // `start` is a cmd.exe built-in that would re-parse the URL's `&`; rundll32 takes it verbatim.
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  return { command: 'xdg-open', args: [url] };
}

/**
 * Opens `url` when there is a desktop; returns whether it tried. `report` receives one line when
 * the opener cannot be started or fails, since the user is then waiting for a window.
 */
export function openInBrowser(
  url: string,
  desktop: Desktop = THIS_MACHINE,
  report: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): boolean {
  if (!hasDesktop(desktop)) return false;
  const { command, args } = browserCommand(url, desktop.platform);
  const failed = (why: string) => report(`Could not open a browser (${command}: ${why}); open the Console URL above yourself.`);
  try {
    // Detached and ignored: a browser started by the opener outlives this server, and xdg-open
    // may wait for the browser it starts.
    const opener = spawn(command, args, { detached: true, stdio: 'ignore', env: desktop.env });
    opener.on('error', (error: NodeJS.ErrnoException) => failed(error.code === 'ENOENT' ? 'not found' : error.message));
    // xdg-open and open report failure in their status; rundll32's says nothing about the browser.
    opener.on('exit', (code) => {
      if (code !== 0 && code !== null && desktop.platform !== 'win32') failed(`exited with code ${code}`);
    });
    opener.unref();
  } catch (error) {
    failed(error instanceof Error ? error.message : String(error));
  }
  return true;
}
