/**
 * Saves text as a file through the browser's download (the desktop app shows its save dialog).
 * Takes the contract's ExportedReport shape, so `download(await bridge.exportRun(id, 'html'))` works.
 */
export function download(file: { readonly fileName: string; readonly mimeType: string; readonly content: string }): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.className = 'offscreen';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once click() returns; the URL can go at the next task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
