/**
 * Puts a provider on a port: the one place where Scimulator opens a socket, used by the CLI
 * (`scimulator serve`), the desktop app and the tests. The node:http server routes the SCIM base
 * path to the provider's handler and everything else to the console, when there is one.
 */
import type { ConsoleHost } from './console-host.js';
import { createHttpHost } from './http-server.js';
import { printedAddresses } from './listen-address.js';
import { type Provider, type ProviderOptions, createProvider } from '../provider.js';

/** Where a hosted provider can be reached. */
export interface ProviderEndpoint {
  /** `http://host:port` as this machine addresses it (loopback when bound to every interface). */
  readonly origin: string;
  /** The SCIM base URL: origin + base path. */
  readonly baseUrl: string;
  /** Origins other machines can use: listed only when bound to every interface. */
  readonly networkOrigins: readonly string[];
  /** Host names the console must answer to (loopback, and a specifically bound address). */
  readonly consoleHostnames: readonly string[];
}

export interface HostOptions {
  readonly host?: string;
  /** 0 picks a free port. Default 8080. */
  readonly port?: number;
  /** Builds the console for the hosted provider; requests outside the SCIM base path go to it. */
  readonly console?: (hosted: Provider & ProviderEndpoint) => ConsoleHost;
}

export interface HostedProvider extends ProviderEndpoint {
  /** Ends the console's event streams, stops accepting and waits for in-flight requests. The provider stays open. */
  close(): Promise<void>;
}

export async function hostProvider(provider: Provider, options: HostOptions = {}): Promise<HostedProvider> {
  let consoleHost: ConsoleHost | undefined;
  const http = createHttpHost(provider.handle, {
    basePath: provider.basePath,
    maxPayloadSize: provider.limits.maxPayloadSize,
    // Set below, right after the socket is bound: node:http accepts connections only from the
    // next turn of the event loop, so no request can arrive before it is set.
    ...(options.console ? { console: (req, res) => consoleHost!(req, res) } : {}),
  });
  const address = await http.listen(options.port ?? 8080, options.host ?? '127.0.0.1');
  const bound = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  // A wildcard bind (0.0.0.0, ::) is where the server listens, not a URL anyone can open.
  const addresses = printedAddresses(bound);
  const endpoint: ProviderEndpoint = {
    origin: addresses.local,
    baseUrl: addresses.local + provider.basePath,
    networkOrigins: addresses.network,
    consoleHostnames: addresses.consoleHostnames,
  };
  try {
    consoleHost = options.console?.({ ...provider, ...endpoint });
  } catch (error) {
    await http.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    ...endpoint,
    close() {
      // Event streams first: the server's close() waits for open connections.
      consoleHost?.close();
      closing ??= http.close();
      return closing;
    },
  };
}

/** A provider and its host as one object: what `serve`, the desktop app and the tests run. */
export interface RunningProvider extends Provider, ProviderEndpoint {
  /** Stops the host, then flushes and closes the provider. */
  close(): Promise<void>;
}

export async function serveProvider(options: ProviderOptions & HostOptions = {}): Promise<RunningProvider> {
  const provider = await createProvider(options);
  let hosted: HostedProvider;
  try {
    hosted = await hostProvider(provider, options);
  } catch (error) {
    await provider.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    ...provider,
    origin: hosted.origin,
    baseUrl: hosted.baseUrl,
    networkOrigins: hosted.networkOrigins,
    consoleHostnames: hosted.consoleHostnames,
    close() {
      closing ??= hosted.close().then(() => provider.close());
      return closing;
    },
  };
}
