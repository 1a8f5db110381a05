/**
 * Copies text. The async Clipboard API works in the Electron window (the session grants only
 * clipboard-sanitized-write) and on http://127.0.0.1 (a secure context); the textarea fallback
 * covers browsers that refuse it, e.g. when the page is reached by a LAN address.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.append(area);
    area.select();
    try {
      return document.execCommand('copy');
    } finally {
      area.remove();
    }
  }
}
