import type { ExportedReport } from '../../../../src-main/api/contract';

/** Saves an exported report through the browser's download (the Electron window handles it the same way). */
export function downloadReport(report: ExportedReport): void {
  const url = URL.createObjectURL(new Blob([report.content], { type: report.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = report.fileName;
  link.className = 'offscreen';
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the blob to the download; free it after the current task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
