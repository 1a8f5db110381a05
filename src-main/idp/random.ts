/**
 * Seeded randomness for the mock IdP: Okta's random create password, Entra's probe GUIDs, fresh
 * names. A run with the same seed sends the same bytes, so runs can be diffed.
 */
import { randomBytes } from 'node:crypto';
import { mulberry32 } from '../mulberry32.js';
import type { Random } from './profile.js';

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function createRandom(seed: number = randomBytes(4).readUInt32LE(0)): Random & { readonly seed: number } {
  const next = mulberry32(seed);
  const hex = (count: number) => {
    let text = '';
    for (let i = 0; i < count; i++) text += Math.floor(next() * 16).toString(16);
    return text;
  };
  return {
    seed,
    uuid() {
      const variant = (8 + Math.floor(next() * 4)).toString(16);
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
    },
    string(length, alphabet = ALPHANUMERIC) {
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      return text;
    },
  };
}
