import type { auth as fr } from '../fr/auth';

/** English messages: login, logout, auth, reset, forgot, password, invitation, profile, account. */
export const auth = {
	'login.title': 'Log in',
	'login.email': 'E-mail address',
	'login.password': 'Password',
	'login.submit': 'Log in',
	'login.forgot': 'Forgot your password?',
	'login.intro': 'Log in with the address you were invited at.',

	'logout.done': 'You are logged out.',

	'forgot.title': 'Forgotten password',
	'forgot.intro': 'Enter your address: if an account exists, you will receive a link to choose a new password.',
	'forgot.submit': 'Send me the link',
	'forgot.sent': 'If an account exists for this address, an e-mail is on its way. The link works for one hour.',

	'reset.title': 'Choose a new password',
	'reset.submit': 'Save the password',
	'reset.done': 'Your password is changed. Log in with the new one.',
	'reset.invalid': 'This reset link does not exist.',
	'reset.used': 'This link was already used. Ask for a new one.',
	'reset.expired': 'This link has expired. Ask for a new one.',

	'password.new': 'New password',
	'password.confirm': 'Confirm the password',
	'password.current': 'Current password',
	'password.hint': 'At least 10 characters.',

	'invitation.title': 'Join {lab}',
	'invitation.intro': '{inviter} invites you to join {lab} as {role}.',
	'invitation.createIntro': 'Choose your display name and a password to create your account.',
	'invitation.existingIntro': 'An account already exists for {email}. Enter its password to accept.',
	'invitation.accept': 'Accept the invitation',
	'invitation.invalid': 'This invitation link does not exist.',
	'invitation.used': 'This invitation was already accepted. Log in.',
	'invitation.expired': 'This invitation has expired. Ask a coordinator to invite you again.',
	'invitation.revoked': 'This invitation was cancelled.',
	'invitation.alreadyPending': 'An invitation is already pending for this address.',
	'invitation.sent': 'Invitation sent to {email}.',
	'invitation.revokedDone': 'Invitation cancelled.',

	'profile.title': 'My profile',
	'profile.identity': 'Identity',
	'profile.name': 'Display name',
	'profile.email': 'E-mail address',
	'profile.organisation': 'Organisation',
	'profile.locale': 'Interface language',
	'profile.save': 'Save',
	'profile.saved': 'Profile saved.',
	'profile.passwordTitle': 'Change password',
	'profile.changePassword': 'Change the password',
	'profile.passwordChanged': 'Password changed.',
	'auth.accountDisabled': 'This account is disabled. Please contact the Labo administrators.',

	'auth.invalidCredentials': 'Wrong e-mail address or password.',
	'auth.tooManyAttempts': 'Too many attempts. Try again in {minutes} {minutes|minute|minutes}.',
	'auth.wrongCurrentPassword': 'The current password is wrong.',
	'auth.loginRequired': 'Log in to continue.',
	'account.emailTaken': 'An account already exists with this address.',
	// Login throttling and hashing capacity
	'auth.busy': 'The server is very busy. Try again in a few seconds.'
} satisfies Record<keyof typeof fr, string>;
