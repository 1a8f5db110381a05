/** Scimulator's version: the CLI's --version and the User-Agent of Scimulator's own requests. */
export const SCIMULATOR_VERSION = '0.1.0';

/** The User-Agent of the requests Scimulator adds for its own checks, never mistaken for an IdP's. */
export const CHECK_USER_AGENT = `Scimulator/${SCIMULATOR_VERSION} (check)`;
