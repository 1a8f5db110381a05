/**
 * Escaping for the reports: whatever the target sent ends up as text, and a character XML cannot
 * hold is shown, not dropped and not allowed to break the file.
 */
import { describe, expect, it } from 'vitest';
import { htmlEscape, xmlAttribute, xmlSafe, xmlText } from '../../../src-main/reports/markup.js';

describe('report markup escaping', () => {
  it('escapes markup in element text and attribute values', () => {
    expect(xmlText('<a href="x">&amp;</a>')).toBe('&lt;a href="x"&gt;&amp;amp;&lt;/a&gt;');
    expect(xmlAttribute('say "hi" & <bye>')).toBe('say &quot;hi&quot; &amp; &lt;bye&gt;');
    expect(htmlEscape(`<img src=x onerror='alert("1")'>`)).toBe('&lt;img src=x onerror=&#39;alert(&quot;1&quot;)&#39;&gt;');
  });

  it('keeps tabs and line breaks in attributes as character references, which parsers would otherwise turn into spaces', () => {
    expect(xmlAttribute('a\tb\nc\r')).toBe('a&#9;b&#10;c&#13;');
    expect(xmlText('a\tb\nc')).toBe('a\tb\nc');
  });

  it('writes characters XML 1.0 cannot hold as visible escapes', () => {
    expect(xmlSafe('nul\u0000 bell\u0007 esc\u001b vt\u000b ff\u000c')).toBe('nul\\u0000 bell\\u0007 esc\\u001b vt\\u000b ff\\u000c');
    expect(xmlSafe('\ufffe\uffff')).toBe('\\ufffe\\uffff');
    // A lone surrogate (half of an emoji cut by a byte limit) is not a character at all.
    expect(xmlSafe('cut \ud83d here')).toBe('cut \\ud83d here');
    expect(xmlSafe('cut \ude00 here')).toBe('cut \\ude00 here');
  });

  it('leaves every character XML can hold alone, emoji and DEL included', () => {
    const text = 'Zoë 😀 \u007f\u0085 中文 \t\n\r';
    expect(xmlSafe(text)).toBe(text);
    expect(htmlEscape('😀')).toBe('😀');
  });
});
