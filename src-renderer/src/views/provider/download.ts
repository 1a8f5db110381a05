/** Saves text as a file through the browser's download (works the same in Electron's window). */
export function downloadText(fileName: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.className = 'offscreen';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by now; the blob can go once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
