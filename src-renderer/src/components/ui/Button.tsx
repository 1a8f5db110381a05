import type { ButtonHTMLAttributes } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** primary: the one main action of a place; secondary (default): everything else; ghost: quiet, in toolbars; danger: destroys data. */
  readonly variant?: ButtonVariant;
  readonly size?: 'sm' | 'md';
}

/** A button (type="button" unless told otherwise, so it never submits a form by accident). */
export function Button({ variant = 'secondary', size = 'md', className, type = 'button', ...rest }: ButtonProps) {
  return <button type={type} className={['btn', `btn-${variant}`, `btn-${size}`, className].filter(Boolean).join(' ')} {...rest} />;
}
