import { PROFILE_NAMES, type ProfileName } from '../../../../src-main/idp/profile';

/** The IdPs Scimulator imitates, as people call them. */
export const PROFILE_LABELS: Record<ProfileName, string> = {
  okta: 'Okta',
  'okta-aiw': 'Okta AIW',
  entra: 'Microsoft Entra ID',
  'entra-compliant': 'Entra ID (compliant mode)',
  onelogin: 'OneLogin',
  jumpcloud: 'JumpCloud',
  pingfederate: 'PingFederate',
  generic: 'Generic SCIM client',
};

/** A labelled select of the IdP profiles. */
export function ProfilePicker({ value, onChange, label = 'Identity provider', id }: {
  value: ProfileName;
  onChange: (profile: ProfileName) => void;
  label?: string;
  id: string;
}) {
  return (
    <span className="field-inline">
      <label htmlFor={id}>{label}</label>
      <select id={id} className="input" value={value} onChange={(event) => onChange(event.target.value as ProfileName)}>
        {PROFILE_NAMES.map((name) => (
          <option key={name} value={name}>
            {PROFILE_LABELS[name]}
          </option>
        ))}
      </select>
    </span>
  );
}
