/**
 * The public entry of the `auth` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { insertAccount, normaliseEmail } from './auth.service';
export { accountName } from './names';
export { hashPassword, verifyPassword } from './password';
export { createSession, invalidateAllSessions, type SessionUser } from './session';
export { hashToken, newToken } from './tokens';
export { accountEmail, accountPerson, personEmail, personName } from './names';
export { activeUser } from './users';
export { accountProfiles, deletePersonIfUnused, emailsOfPeople, findOrCreatePerson, peopleByEmail } from './people';
export {
	accountLoginEmail,
	accountOrganisation,
	accountPersonCreatedAt,
	accountsMatching,
	checkAccountPassword,
	enabledAccount,
	findAccount,
	personAccount,
	type AccountSummary
} from './lookup';
export { accountsPage, disableAccount, enableAccount, type AccountListRow } from './accounts-admin';
export {
	accountByEmail,
	accountByIdentity,
	createAccountFromProvider,
	identitiesOf,
	linkIdentity,
	openProviderSession,
	providerSessionHint,
	unlinkIdentity,
	type LinkedIdentity
} from './identities';
export { beginOidc, completeOidc, endSessionUrl, oidcButton, oidcSettings, passwordLoginEnabled, type OidcSettings, type ProviderIdentity } from './oidc';
export { setFlowCookie, setLogoutCookie, takeFlowCookie, takeLogoutCookie } from './oidc-flow';
