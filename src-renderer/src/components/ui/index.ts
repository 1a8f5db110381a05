/**
 * The console's shared primitives. Styled by ui.css with the theme variables of styles.css, so they
 * follow light and dark. Keep each one small: a view that needs more composes them.
 */
import './ui.css';

export { Button, type ButtonProps, type ButtonVariant } from './Button';
export { Badge, statusTone, severityTone, outcomeTone, type BadgeTone } from './Badge';
export { Banner } from './Banner';
export { EmptyState } from './EmptyState';
export { Dialog, Drawer } from './Dialog';
export { Tabs, TabPanel, type TabItem } from './Tabs';
export { Toolbar } from './Toolbar';
export { LiveRegion, announce } from './LiveRegion';
export { CopyButton } from '../CopyButton';
export { ProfilePicker, PROFILE_LABELS } from './ProfilePicker';
export { rovingIndex } from './roving';
export { useFocusInAndBack } from './focus';
export { download } from './download';
