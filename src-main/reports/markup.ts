/**
 * Escaping for the reports' markup. Report text comes from the target (response bodies, headers,
 * error messages), so every value is escaped, and characters XML 1.0 cannot hold at all (C0
 * controls other than tab and line breaks, lone surrogates, U+FFFE/U+FFFF) are written as visible
 * `\uXXXX` escapes: a parser would reject the whole file otherwise, and a silent drop would hide
 * what the target actually sent.
 */

// https://www.w3.org/TR/xml/#charsets
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with every character XML cannot hold written as a visible `\uXXXX` escape. */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML_CHAR, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Character data of an XML (or HTML) element. */
export function xmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A double-quoted attribute value. Tabs and line breaks are written as character references:
 * attribute-value normalisation would turn them into spaces.
 */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/** Text or a double-quoted attribute value in HTML. */
export function htmlEscape(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
