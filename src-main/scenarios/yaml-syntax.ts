/**
 * The YAML parser's own words for a syntax error, followed by what to do about it: its messages
 * name the grammar ("Sequence item without - indicator" for a key indented one space too few),
 * not the mistake a person made writing a scenario.
 */
import type { YAMLError } from 'yaml';

/** `json: { $.emails[0].value: x }`: brackets end a plain key inside a flow mapping. */
const FLOW_HINT = 'inside `{ … }` or `[ … ]`, quote a key or value that contains `[`, `]`, `{`, `}` or `,` (write `"$.emails[0].value": …`), and separate items with `,`';

function hintFor(error: YAMLError): string | undefined {
  switch (error.code) {
    case 'MISSING_CHAR':
      if (/between flow (map|sequence) items/.test(error.message)) return FLOW_HINT;
      if (error.message.startsWith('Sequence item without')) {
        return 'check the indentation of this line: it must line up exactly with the key above it that it belongs beside (e.g. `expect:` under `event:`)';
      }
      if (/closing .*quote/.test(error.message)) return 'a quote opened above is never closed: close it at the end of its value';
      return undefined;
    case 'BAD_INDENT':
      if (/^Flow (sequence|map)/.test(error.message)) {
        const [open, close] = error.message.startsWith('Flow map') ? ['{', '}'] : ['[', ']'];
        return `a \`${open}\` opened on an earlier line is never closed: add the missing \`${close}\``;
      }
      return 'check the indentation of this line against the lines above it';
    case 'UNEXPECTED_TOKEN':
      return /^Unexpected flow-(seq|map)-(start|end)/.test(error.message) ? FLOW_HINT : undefined;
    case 'TAB_AS_INDENT':
      return 'indent with spaces';
    case 'MULTILINE_IMPLICIT_KEY':
      return 'a key is missing its colon (write `key: value`), or the line below is indented too far';
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'the line below is indented further than this one: line its key up with the key on this line';
    case 'DUPLICATE_KEY':
      return 'this key already appears above in the same mapping: keep one of them';
    default:
      return undefined;
  }
}

/** The message of a YAML syntax error, with what to do when the parser's words do not say. */
export function yamlSyntaxMessage(error: YAMLError): string {
  const hint = hintFor(error);
  return hint === undefined ? error.message : `${error.message}: ${hint}`;
}
