/** French messages: login, logout, auth, reset, forgot, password, invitation, profile, account. */
export const auth = {
	'login.title': 'Connexion',
	'login.email': 'Adresse e-mail',
	'login.password': 'Mot de passe',
	'login.submit': 'Se connecter',
	'login.forgot': 'Mot de passe oublié ?',
	'login.intro': 'Connectez-vous avec l’adresse à laquelle vous avez été invité·e.',

	'logout.done': 'Vous êtes déconnecté·e.',

	'forgot.title': 'Mot de passe oublié',
	'forgot.intro': 'Indiquez votre adresse : si un compte existe, vous recevrez un lien pour choisir un nouveau mot de passe.',
	'forgot.submit': 'Recevoir le lien',
	'forgot.sent': 'Si un compte existe pour cette adresse, un courriel vient de partir. Le lien est valable une heure.',

	'reset.title': 'Choisir un nouveau mot de passe',
	'reset.submit': 'Enregistrer le mot de passe',
	'reset.done': 'Votre mot de passe est changé. Connectez-vous avec le nouveau.',
	'reset.invalid': "Ce lien de réinitialisation n'existe pas.",
	'reset.used': 'Ce lien a déjà servi. Demandez-en un nouveau.',
	'reset.expired': 'Ce lien a expiré. Demandez-en un nouveau.',

	'password.new': 'Nouveau mot de passe',
	'password.confirm': 'Confirmez le mot de passe',
	'password.current': 'Mot de passe actuel',
	'password.hint': 'Au moins 10 caractères.',

	'invitation.title': 'Rejoindre {lab}',
	'invitation.intro': '{inviter} vous invite à rejoindre {lab} en tant que {role}.',
	'invitation.createIntro': 'Choisissez votre nom affiché et un mot de passe pour créer votre compte.',
	'invitation.existingIntro': 'Un compte existe déjà pour {email}. Saisissez son mot de passe pour accepter.',
	'invitation.accept': "Accepter l'invitation",
	'invitation.invalid': "Ce lien d'invitation n'existe pas.",
	'invitation.used': 'Cette invitation a déjà été acceptée. Connectez-vous.',
	'invitation.expired': "Cette invitation a expiré. Demandez à un·e coordinateur·rice de vous réinviter.",
	'invitation.revoked': 'Cette invitation a été annulée.',
	'invitation.alreadyPending': 'Une invitation est déjà en attente pour cette adresse.',
	'invitation.sent': 'Invitation envoyée à {email}.',
	'invitation.revokedDone': 'Invitation annulée.',

	'profile.title': 'Mon profil',
	'profile.identity': 'Identité',
	'profile.name': 'Nom affiché',
	'profile.email': 'Adresse e-mail',
	'profile.organisation': 'Organisation',
	'profile.locale': "Langue de l'interface",
	'profile.save': 'Enregistrer',
	'profile.saved': 'Profil enregistré.',
	'profile.passwordTitle': 'Changer de mot de passe',
	'profile.changePassword': 'Changer le mot de passe',
	'profile.passwordChanged': 'Mot de passe changé.',
	'auth.accountDisabled': "Ce compte est désactivé. Adressez-vous à l'administration de Labo.",

	'auth.invalidCredentials': 'Adresse e-mail ou mot de passe incorrect.',
	'auth.tooManyAttempts': 'Trop de tentatives. Réessayez dans {minutes} {minutes|minute|minutes}.',
	'auth.wrongCurrentPassword': 'Le mot de passe actuel est incorrect.',
	'auth.loginRequired': 'Connectez-vous pour continuer.',
	'account.emailTaken': 'Un compte existe déjà avec cette adresse.',
	// Login throttling and hashing capacity
	'auth.busy': 'Le serveur est très sollicité. Réessayez dans quelques secondes.'
} as const;
