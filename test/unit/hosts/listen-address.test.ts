import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { LOOPBACK_HOSTNAMES, printedAddresses } from '../../../src-main/hosts/listen-address.js';

const info = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({ address, family, internal }) as NetworkInterfaceInfo;
const interfaces = {
  lo: [info('127.0.0.1', 'IPv4', true), info('::1', 'IPv6', true)],
  eth0: [info('192.168.1.20', 'IPv4'), info('fe80::1', 'IPv6'), info('2001:db8::20', 'IPv6')],
};

describe('printedAddresses', () => {
  it('prints loopback for this machine and the network addresses for others when bound to 0.0.0.0', () => {
    expect(printedAddresses('http://0.0.0.0:8080', interfaces)).toEqual({
      everyInterface: true,
      local: 'http://127.0.0.1:8080',
      network: ['http://192.168.1.20:8080'],
      consoleHostnames: LOOPBACK_HOSTNAMES,
    });
  });

  it('adds routable IPv6 addresses when bound to ::, but not link-local ones', () => {
    const printed = printedAddresses('http://[::]:8080', interfaces);
    expect(printed.local).toBe('http://127.0.0.1:8080');
    expect(printed.network).toEqual(['http://192.168.1.20:8080', 'http://[2001:db8::20]:8080']);
    expect(printed.consoleHostnames).toEqual(LOOPBACK_HOSTNAMES);
  });

  it('prints a loopback bind as it is', () => {
    expect(printedAddresses('http://127.0.0.1:8080', interfaces)).toEqual({
      everyInterface: false,
      local: 'http://127.0.0.1:8080',
      network: [],
      consoleHostnames: LOOPBACK_HOSTNAMES,
    });
    expect(printedAddresses('http://[::1]:9000', interfaces).consoleHostnames).toEqual(LOOPBACK_HOSTNAMES);
  });

  it('lets the console answer to an address bound on purpose, since that is the only way in', () => {
    const printed = printedAddresses('http://192.168.1.20:8080', interfaces);
    expect(printed.local).toBe('http://192.168.1.20:8080');
    expect(printed.consoleHostnames).toEqual([...LOOPBACK_HOSTNAMES, '192.168.1.20']);
  });
});
