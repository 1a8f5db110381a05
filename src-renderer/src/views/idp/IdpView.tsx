import type { ViewProps } from '../../shell/view-props';

/** PLACEHOLDER until this view is built (issue 9). */
export function IdpView(_props: ViewProps) {
  return <section className="view-placeholder"><h2>Idp</h2></section>;
}
