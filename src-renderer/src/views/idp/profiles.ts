/** The IdPs as an admin knows them by name. */
import type { ProfileName } from '../../../../src-main/api/contract';

const LABELS: Record<ProfileName, string> = {
  okta: 'Okta',
  'okta-aiw': 'Okta AIW',
  entra: 'Microsoft Entra ID',
  'entra-compliant': 'Entra (compliant)',
  onelogin: 'OneLogin',
  jumpcloud: 'JumpCloud',
  pingfederate: 'PingFederate',
  generic: 'Generic SCIM client',
};

export function profileLabel(name: string): string {
  return (LABELS as Record<string, string>)[name] ?? name;
}
