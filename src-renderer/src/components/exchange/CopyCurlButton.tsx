import { CopyButton } from '../CopyButton';

/** "Copy as curl": the command as its tooltip, "Copied" announced like every copy button. */
export function CopyCurlButton({ command }: { command: string }) {
  return (
    <CopyButton text={command} label="Copy as curl" title={command} className="xv-copy" testId="copy-curl">
      Copy as curl
    </CopyButton>
  );
}
