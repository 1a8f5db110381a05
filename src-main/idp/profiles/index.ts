/**
 * The profiles by name: what `--profile NAME` and a scenario's `profile:` resolve through.
 *
 * This branch registers the four profiles written here. The Okta and Entra profiles
 * (`oktaProfile` from ./okta.js, `oktaAiwProfile` from ./okta-aiw.js, `entraProfile` from
 * ./entra.js, `entraCompliantProfile` from ./entra-compliant.js) are added to `profiles` when
 * those branches are merged; `profiles` then becomes a full `Record<ProfileName, Profile>`, which
 * makes a missing profile a compile error.
 */
import { PROFILE_NAMES, isProfileName, type Profile, type ProfileName } from '../profile.js';
import { genericProfile } from './generic.js';
import { jumpcloudProfile } from './jumpcloud.js';
import { oneloginProfile } from './onelogin.js';
import { pingfederateProfile } from './pingfederate.js';

/** The profiles besides Okta's and Entra's. */
export const OTHER_PROFILES = {
  onelogin: oneloginProfile,
  jumpcloud: jumpcloudProfile,
  pingfederate: pingfederateProfile,
  generic: genericProfile,
} as const satisfies Partial<Record<ProfileName, Profile>>;

export const profiles: Partial<Record<ProfileName, Profile>> = { ...OTHER_PROFILES };

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
