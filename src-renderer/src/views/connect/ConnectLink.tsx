import type { ReactNode } from 'react';

/**
 * The way to the Connect view from any empty state: "Connect your IdP" unless told otherwise.
 * `<EmptyState title="No users yet" action={<ConnectLink />}>Point your IdP at Scimulator…</EmptyState>`
 */
export function ConnectLink({ children = 'Connect your IdP to Scimulator' }: { children?: ReactNode }) {
  return (
    <a className="link-action" href="#/connect">
      {children}
    </a>
  );
}
