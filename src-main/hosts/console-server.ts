/**
 * A provider served with the full console: the SCIM endpoint, the browser console (static files,
 * commands, events) and the console's services (targets, IdP directory, scenarios, runs,
 * history) over their files in the data directory. What `scimulator serve`, the desktop app and
 * the end-to-end tests run, so the three cannot drift apart.
 *
 * The services need the provider's served address (the `local` target shows it), which exists
 * only once the socket is bound, and the HTTP host needs its console listener at that moment; so
 * the listener answers 503 for the instant between the two, then hands every request to the real
 * console host. The secret is fixed first, so the printed URL is right from the start.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createConsoleApi, type ConsoleApi } from '../api/console-api.js';
import { createConsoleServices, type ComposedConsoleServices } from '../console/compose.js';
import type { SecretVault } from '../console/ports.js';
import type { ProviderOptions } from '../provider.js';
import { consoleUrl, createConsoleHost, generateConsoleSecret, type ConsoleHost } from './console-host.js';
import { serveProvider, type HostOptions, type RunningProvider } from './provider-host.js';

export interface ConsoleServerOptions extends ProviderOptions, Omit<HostOptions, 'console'> {
  /** The built renderer (index.html + assets/). */
  readonly rendererDir: string;
  /** Where the console keeps targets.json, idp-directory.json and runs.json; in memory when absent. */
  readonly dataDir?: string;
  readonly vault: SecretVault;
  readonly pickFolder?: () => Promise<string | null>;
  readonly hostKind: 'electron' | 'browser';
  /** The console secret; generated when absent. */
  readonly secret?: string;
}

export interface ConsoleServer {
  readonly provider: RunningProvider;
  readonly services: ComposedConsoleServices;
  readonly api: ConsoleApi;
  readonly consoleHost: ConsoleHost;
  /** The URL that opens the browser console, with its secret. */
  readonly consoleUrl: string;
  /** Cancels runs, closes the services, then the host and the provider. */
  close(): Promise<void>;
}

export async function serveConsole(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const secret = options.secret ?? generateConsoleSecret();
  let consoleHost: ConsoleHost | undefined;
  const starting = Object.assign(
    (req: IncomingMessage, res: ServerResponse): void => {
      if (consoleHost) return consoleHost(req, res);
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1', 'cache-control': 'no-store' });
      res.end('Scimulator is starting; reload in a moment');
    },
    { secret, close: () => consoleHost?.close() },
  );
  let allowedHostnames: readonly string[] = [];
  const { rendererDir: _rendererDir, dataDir: _dataDir, vault, pickFolder, hostKind: _hostKind, secret: _secret, ...providerOptions } = options;
  const provider = await serveProvider({
    ...providerOptions,
    console: (hosted) => {
      allowedHostnames = hosted.consoleHostnames;
      return starting;
    },
  });
  let services: ComposedConsoleServices;
  try {
    services = await createConsoleServices({
      provider,
      vault,
      hostKind: options.hostKind,
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ...(pickFolder === undefined ? {} : { pickFolder }),
    });
  } catch (error) {
    await provider.close();
    throw error;
  }
  const url = consoleUrl(provider.origin, secret);
  const api = createConsoleApi({ ...provider, consoleUrl: url }, services);
  consoleHost = createConsoleHost(api, { rendererDir: options.rendererDir, allowedHostnames, secret });
  let closing: Promise<void> | undefined;
  return {
    provider,
    services,
    api,
    consoleHost,
    consoleUrl: url,
    close() {
      // Runs first, while the provider they may be sending to is still open.
      closing ??= services.close().finally(() => provider.close());
      return closing;
    },
  };
}
