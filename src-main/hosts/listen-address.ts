/**
 * What to print for the address the server is bound to. `http://0.0.0.0:8080` is where the server
 * listens, not a URL anyone can open (and the console answers it with 421, since 0.0.0.0 is not a
 * name it serves), so a wildcard bind prints loopback for this machine and the machine's own
 * addresses for the SCIM clients on other machines. The console stays loopback-only there: its
 * Host allow-list accepts loopback names and a specifically bound address, never a wildcard's
 * network addresses, so the secret and the cookie never cross the network in clear text.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

export interface PrintedAddresses {
  /** Bound to 0.0.0.0 or ::, so reachable from other machines while the console is not. */
  readonly everyInterface: boolean;
  /** Origin for this machine: the bound one, or loopback when bound to every interface. */
  readonly local: string;
  /** Origins other machines can use, listed only when bound to every interface. */
  readonly network: readonly string[];
  /** Host names (as URL hostnames, IPv6 in brackets) the console answers to. */
  readonly consoleHostnames: readonly string[];
}

export const LOOPBACK_HOSTNAMES: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** `origin` is the bound one, e.g. http://0.0.0.0:8080 or http://[::]:8080. */
export function printedAddresses(origin: string, interfaces: Interfaces = networkInterfaces()): PrintedAddresses {
  const url = new URL(origin);
  const port = url.port;
  const hostname = url.hostname;
  if (hostname === '0.0.0.0' || hostname === '[::]') {
    // Node binds `::` dual-stack, so IPv4 loopback answers there too.
    return {
      everyInterface: true,
      local: `http://127.0.0.1:${port}`,
      network: externalAddresses(interfaces, hostname === '[::]').map((address) => `http://${address}:${port}`),
      consoleHostnames: LOOPBACK_HOSTNAMES,
    };
  }
  // Bound to one address: the printed URL is the only way in, so the console must answer it.
  // Safe against DNS rebinding, which needs a name the attacker controls, not an IP literal.
  return {
    everyInterface: false,
    local: url.origin,
    network: [],
    consoleHostnames: LOOPBACK_HOSTNAMES.includes(hostname) ? LOOPBACK_HOSTNAMES : [...LOOPBACK_HOSTNAMES, hostname],
  };
}

function externalAddresses(interfaces: Interfaces, includeIpv6: boolean): string[] {
  const addresses: string[] = [];
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) {
      if (info.internal) continue;
      if (info.family === 'IPv4') addresses.push(info.address);
      // Link-local IPv6 (fe80::/10) needs a zone id that differs on every client: useless to print.
      else if (includeIpv6 && !/^fe[89ab]/i.test(info.address)) addresses.push(`[${info.address}]`);
    }
  }
  return addresses;
}
