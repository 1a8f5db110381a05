/**
 * The profiles by name: what `--profile NAME` and a scenario's `profile:` resolve through. A
 * full record, so a profile name without a profile is a compile error.
 */
import { PROFILE_NAMES, isProfileName, type Profile, type ProfileName } from '../profile.js';
import { entraCompliantProfile } from './entra-compliant.js';
import { entraProfile } from './entra.js';
import { genericProfile } from './generic.js';
import { oktaAiwProfile } from './okta-aiw.js';
import { oktaProfile } from './okta.js';
import { jumpcloudProfile } from './jumpcloud.js';
import { oneloginProfile } from './onelogin.js';
import { pingfederateProfile } from './pingfederate.js';

export const profiles: Readonly<Record<ProfileName, Profile>> = {
  okta: oktaProfile,
  'okta-aiw': oktaAiwProfile,
  entra: entraProfile,
  'entra-compliant': entraCompliantProfile,
  onelogin: oneloginProfile,
  jumpcloud: jumpcloudProfile,
  pingfederate: pingfederateProfile,
  generic: genericProfile,
};

export class UnknownProfile extends Error {
  constructor(readonly profileName: string) {
    super(
      isProfileName(profileName)
        ? `Profile "${profileName}" is not available in this build`
        : `Unknown profile "${profileName}"; the profiles are: ${PROFILE_NAMES.join(', ')}`,
    );
    this.name = 'UnknownProfile';
  }
}

export function profileByName(name: string): Profile {
  const profile = isProfileName(name) ? profiles[name] : undefined;
  if (!profile) throw new UnknownProfile(name);
  return profile;
}
