/**
 * How each IdP writes a query string. The bytes differ, and a target's URL parsing must cope
 * with all of them: Entra form-encodes (`filter=userName+eq+%22a%40b%22`), Okta percent-encodes
 * spaces (`filter=userName%20eq%20%22a%40b%22&startIndex=1&count=100`).
 * Sources: docs/idp-traffic.md §1.4 (Entra, observed in AzureAD/SCIMReferenceCode#63 and
 * Microsoft Q&A 923479) and §2.3 (Okta, developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20).
 */

/** `application/x-www-form-urlencoded` as Java and .NET write it: space → `+`, `*-._` kept. */
export function formEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** RFC 3986 percent-encoding of a query value: space → `%20`, as Okta sends it. */
export function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A SCIM string literal: the value in double quotes, with `"` and `\` escaped (RFC 7644 §3.4.2.2). */
export function scimString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `attr eq "value"` */
export function eqFilter(attribute: string, value: string, operator = 'eq'): string {
  return `${attribute} ${operator} ${scimString(value)}`;
}
