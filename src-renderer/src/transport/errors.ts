/**
 * Failures in words a person can act on. The transports fail in their own vocabulary ("Failed to
 * fetch", "Error invoking remote method …", HTTP 503); the console says what happened and what to
 * do about it instead. Pure, so the wording is unit-tested.
 */

/** A console command the host answered with an error status (the HTTP bridge throws it). */
export class ConsoleCommandError extends Error {
  constructor(
    readonly command: string,
    readonly status: number,
    /** The host's own message: for a 400, which argument was wrong. */
    readonly detail: string,
  ) {
    super(`${command} failed (${status}): ${detail}`);
    this.name = 'ConsoleCommandError';
  }
}

/** The browser lacks the console secret (a 401): only the URL printed at start-up helps. */
export class ConsoleLockedError extends Error {
  constructor() {
    super('This browser does not hold the console secret: open the URL printed by scimulator serve or npm start');
    this.name = 'ConsoleLockedError';
  }
}

export interface FailureContext {
  /** Where Scimulator runs, as the page reached it (`location.origin`), or a name for the desktop app. */
  readonly origin: string;
}

/** The network said nothing useful: the server is gone (stopped, crashed, another port). */
const UNREACHABLE = /failed to fetch|networkerror|load failed|network request failed|err_connection|econnrefused/i;
/** Electron wraps main-process errors: "Error invoking remote method 'scimulator:command:x': Error: …". */
const IPC_PREFIX = /^Error invoking remote method '[^']*':\s*(?:\w*Error:\s*)?/;

export function describeFailure(error: unknown, context: FailureContext): string {
  if (error instanceof ConsoleLockedError) {
    return 'This browser no longer holds the console’s secret (Scimulator may have restarted). Open the Console URL it printed at start-up.';
  }
  if (error instanceof ConsoleCommandError) return describeStatus(error.status, error.detail, context);
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : String(error);
  if (UNREACHABLE.test(message)) return unreachable(context);
  // The HTTP bridge's older wording, and strings handed on by hooks that kept only the message.
  const status = /failed \((\d{3})\):\s*(.*)$/s.exec(message);
  if (status?.[1]) return describeStatus(Number(status[1]), status[2] ?? '', context);
  if (/console secret|\b401\b/i.test(message)) return describeFailure(new ConsoleLockedError(), context);
  return withFullStop(message.replace(IPC_PREFIX, '').trim() || 'Something went wrong, with no explanation from Scimulator');
}

function describeStatus(status: number, detail: string, context: FailureContext): string {
  if (status === 401) return describeFailure(new ConsoleLockedError(), context);
  if (status === 503) return `Scimulator at ${context.origin} isn’t ready yet (it is starting or shutting down). Try again in a moment.`;
  if (status === 502 || status === 504) return unreachable(context);
  if (status >= 500) {
    return `Scimulator at ${context.origin} hit an internal error (HTTP ${status})${detail ? `: ${detail}` : ''}. Try again; if it keeps happening, check its terminal output.`;
  }
  if (status === 423 || /locked/i.test(detail)) {
    return `The database is locked by another Scimulator${detail ? ` (${detail})` : ''}. Close the other instance, or start this one with a different --db file.`;
  }
  if (status === 403) return `Scimulator refused this request (HTTP 403)${detail ? `: ${detail}` : ''}. Open the console from the URL it printed.`;
  return withFullStop(detail || `The request failed (HTTP ${status})`);
}

function unreachable(context: FailureContext): string {
  return `Scimulator isn’t reachable at ${context.origin}. Is it still running?`;
}

function withFullStop(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** Where the console talks to, for messages: the page's origin in a browser, the app in Electron. */
export function consoleOrigin(kind: 'electron' | 'browser'): string {
  return kind === 'electron' ? 'the desktop app’s main process' : window.location.origin;
}

/** consoleOrigin for code that is not told its host: an http(s) page is the browser host, file:// the desktop app. */
export function currentConsoleOrigin(): string {
  return typeof window !== 'undefined' && /^https?:$/.test(window.location.protocol) ? consoleOrigin('browser') : consoleOrigin('electron');
}
