import type { ViewProps } from '../../shell/view-props';

/** PLACEHOLDER until this view is built (issue 9). */
export function ConnectView(_props: ViewProps) {
  return <section className="view-placeholder"><h2>Connect</h2></section>;
}
