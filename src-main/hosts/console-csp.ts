/**
 * The console's Content Security Policy, in one place. The renderer build puts it in a meta tag
 * (which also covers the file:// page Electron loads, where there are no response headers); the
 * browser host sends it as a header with `frame-ancestors`, which only works as a header.
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export const CONSOLE_CSP = `${RENDERER_CSP}; frame-ancestors 'none'`;
