import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import SQLite from 'better-sqlite3';
import { checkConnection, closeDb, configuredUrl, dialectOf, getDb, isPostgresUrl, migrate, openSqlite, type Db } from '../lib/server/db';
import { describeConnectionError } from './connection';
import { pgEnvFromUrl, pgToolInvocation } from './pg-env';
import { ConfigError, env } from '../lib/server/env';
import { createAccount } from '../lib/server/auth/auth.service';
import { createLab, findLabBySlug } from '../lib/server/labs/labs.service';
import { addMembership } from '../lib/server/members';
import { appointCoordinator, COMMAND_LINE, disableAccount, enableAccount } from '../lib/server/installation/installation.service';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from '../lib/server/demo/seed';
import { DomainError } from '../lib/server/errors';
import { roleLabel, translate } from '../lib/server/i18n';
import { isRole, ROLES } from '../lib/shared/roles';
import { emailField, passwordField } from '../lib/shared/schemas';
import { randomBytes } from 'node:crypto';
import { InstanceError, objective, parseMdgplib, violations } from '../lib/grouping/instance';
import { solve } from '../lib/grouping/solver';
import { sendReminders } from '../lib/server/network/calls.service';
import { generateInstallationSecret, loadInstallationSecret } from '../lib/server/secret';
import { EXPORT_HELP, exportSubventions } from './export';

export class CliError extends Error {
	constructor(
		message: string,
		public readonly exitCode = 1
	) {
		super(message);
	}
}

type Values = Record<string, string | boolean | undefined>;
interface Command {
	summary: string;
	help: string;
	options: Record<string, { type: 'string' | 'boolean'; short?: string }>;
	run(values: Values, positionals: string[]): Promise<void>;
}

/** Opens the configured database and checks it answers; a failure is one readable line. */
async function openDb(runMigrations = true, generateSecret = false): Promise<Db> {
	try {
		env();
	} catch (e) {
		if (e instanceof ConfigError) throw new CliError(e.message, 1);
		throw e;
	}
	const db = getDb();
	try {
		if (runMigrations) {
			await migrate(db);
			// Commands that hash or sign (commenter keys of the demo and of imports) use the shared
			// secret; those that write such keys create it when the installation has none yet.
			await loadInstallationSecret(db, { generate: generateSecret });
		} else await checkConnection(db);
	} catch (e) {
		await closeDb();
		throw new CliError(describeConnectionError(e, configuredUrl()));
	}
	return db;
}

const str = (v: Values, k: string): string | undefined => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
const need = (v: Values, k: string, help: string): string => {
	const s = str(v, k);
	if (!s) throw new CliError(`--${k} est obligatoire / --${k} is required\n\n${help}`, 2);
	return s;
};

/** Where people reach the app, for the links the commands print (ORIGIN in production). */
const publicOrigin = (): string => (process.env.ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');

const domainMessage = (e: unknown): never => {
	if (e instanceof DomainError) throw new CliError(`${translate('fr', e.code, e.params)} / ${translate('en', e.code, e.params)}`);
	throw e;
};

export const commands: Record<string, Command> = {
	migrate: {
		summary: 'applique les migrations / applies pending migrations',
		help: `npm run labo -- migrate

Applique les migrations en attente sur la base configurée (DATABASE_URL, sinon DATA_DIR/labo.sqlite).
Applies pending migrations to the configured database.`,
		options: {},
		async run() {
			const db = await openDb(false);
			const res = await migrate(db).catch((e: unknown) => {
				throw new CliError(describeConnectionError(e, configuredUrl()));
			});
			const applied = res.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
			console.log(applied.length ? `Migrations appliquées / applied: ${applied.join(', ')}` : 'Base à jour / database up to date');
			await closeDb();
		}
	},

	'seed-demo': {
		summary: 'charge le labo de démonstration / loads the demo lab',
		help: `npm run labo -- seed-demo

Charge le labo de démonstration « Labo PACA » s'il n'existe pas encore (sans effet sinon).
Loads the demo lab if it is not there yet (no effect otherwise).`,
		options: {},
		async run() {
			const db = await openDb(true, true);
			const res = await seedDemo(db);
			console.log(res.created ? 'Labo de démonstration chargé / demo lab loaded' : 'Le labo « paca » existe déjà / the "paca" lab already exists');
			printDemoAccounts();
			await closeDb();
		}
	},

	'create-lab': {
		summary: 'crée un labo / creates a lab',
		help: `npm run labo -- create-lab --slug SLUG --name NOM --region REGION [--description TEXTE]

Crée un labo. SLUG : lettres minuscules, chiffres et tirets (il apparaît dans l'adresse /l/SLUG).
Creates a lab. SLUG: lower-case letters, digits and hyphens (it appears in the address /l/SLUG).`,
		options: { slug: { type: 'string' }, name: { type: 'string' }, region: { type: 'string' }, description: { type: 'string' } },
		async run(v) {
			const h = commands['create-lab']!.help;
			const input = { slug: need(v, 'slug', h), name: need(v, 'name', h), region: need(v, 'region', h), description: str(v, 'description') };
			const db = await openDb();
			try {
				const lab = await createLab(db, null, input).catch(domainMessage);
				console.log(`Labo créé / lab created: ${lab.name} → ${publicOrigin()}/l/${lab.slug}`);
				console.log(`\nEnsuite, nommez sa coordination / next, appoint its coordinator:
  npm run labo -- appoint-coordinator --lab ${lab.slug} --email E-MAIL --name "NOM"
ou, depuis l'application, un·e administrateur·rice ouvre « Installation » / or an installation admin opens "Installation": ${publicOrigin()}/admin`);
			} finally {
				await closeDb();
			}
		}
	},

	'create-user': {
		summary: 'crée un compte, éventuellement membre d’un labo / creates an account',
		help: `npm run labo -- create-user --email E-MAIL --name NOM [--password MOT_DE_PASSE] [--lab SLUG --role ROLE] [--admin]

Crée un compte. Sans --password, un mot de passe aléatoire est créé et affiché une fois.
Avec --lab et --role (${ROLES.join(', ')}), le compte devient membre de ce labo.
Creates an account; without --password a random one is printed once. With --lab and --role,
the account joins that lab.`,
		options: {
			email: { type: 'string' },
			name: { type: 'string' },
			password: { type: 'string' },
			lab: { type: 'string' },
			role: { type: 'string' },
			admin: { type: 'boolean' }
		},
		async run(v) {
			const h = commands['create-user']!.help;
			const email = need(v, 'email', h);
			const name = need(v, 'name', h);
			if (!emailField.safeParse(email).success) throw new CliError(`adresse e-mail invalide / invalid e-mail: ${email}`, 2);
			const generated = !str(v, 'password');
			const password = str(v, 'password') ?? randomBytes(12).toString('base64url');
			if (!passwordField.safeParse(password).success)
				throw new CliError('le mot de passe doit faire au moins 10 caractères / the password needs at least 10 characters', 2);
			const labSlug = str(v, 'lab');
			const role = str(v, 'role');
			if (Boolean(labSlug) !== Boolean(role)) throw new CliError('--lab et --role vont ensemble / --lab and --role go together', 2);
			if (role && !isRole(role)) throw new CliError(`rôle inconnu / unknown role: ${role} (${ROLES.join(', ')})`, 2);
			const db = await openDb();
			try {
				const lab = labSlug ? await findLabBySlug(db, labSlug) : null;
				if (labSlug && !lab) throw new CliError(`labo inconnu / unknown lab: ${labSlug}`);
				const { accountId } = await createAccount(db, { email, name, password, isAdmin: v.admin === true }).catch(domainMessage);
				if (lab && role && isRole(role)) await addMembership(db, { labId: lab.id, accountId, role, actorId: null }).catch(domainMessage);
				console.log(
					`Compte créé / account created: ${email}${lab ? ` (${role} @ ${lab.slug})` : ''}${v.admin === true ? ' — administrateur·rice de l’installation / installation admin' : ''}`
				);
				if (generated) console.log(`Mot de passe / password: ${password}`);
				console.log(
					v.admin === true
						? `\nEnsuite / next: connectez-vous sur / log in at ${publicOrigin()}/login, puis ouvrez « Installation » / then open "Installation" (${publicOrigin()}/admin) pour créer les labos et nommer leur coordination / to create labs and appoint their coordinators.`
						: `\nEnsuite / next: connexion sur / log in at ${publicOrigin()}/login`
				);
			} finally {
				await closeDb();
			}
		}
	},

	'appoint-coordinator': {
		summary: 'nomme un·e coordinateur·rice d’un labo / appoints a lab coordinator',
		help: `npm run labo -- appoint-coordinator --lab SLUG --email E-MAIL [--name NOM]

Si l'adresse a un compte, il devient coordinateur·rice du labo (ajouté, ou promu s'il en est déjà
membre). Sinon une invitation de coordination est envoyée (--name est alors obligatoire) ; son lien,
valable 14 jours, est aussi affiché ici, au cas où le courriel ne partirait pas (sans SMTP_URL).
If the address has an account it becomes coordinator of the lab; otherwise a coordinator
invitation is sent (--name is then required) and its link is printed here as well.`,
		options: { lab: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' } },
		async run(v) {
			const h = commands['appoint-coordinator']!.help;
			const labSlug = need(v, 'lab', h);
			const email = need(v, 'email', h);
			if (!emailField.safeParse(email).success) throw new CliError(`adresse e-mail invalide / invalid e-mail: ${email}`, 2);
			const db = await openDb();
			try {
				const lab = await findLabBySlug(db, labSlug);
				if (!lab) throw new CliError(`labo inconnu / unknown lab: ${labSlug}`);
				const res = await appointCoordinator(db, COMMAND_LINE, { labId: lab.id, email, name: str(v, 'name'), origin: publicOrigin() }).catch(domainMessage);
				if (res.kind === 'invited') {
					console.log(`Invitation de coordination envoyée / coordinator invitation sent: ${res.email} → ${lab.slug}`);
					console.log(`Lien (valable 14 jours) / link (valid 14 days): ${publicOrigin()}/invitation/${res.token}`);
				} else {
					console.log(`${res.name} est coordinateur·rice de / is coordinator of ${lab.slug}`);
					console.log(`Connexion / log in: ${publicOrigin()}/login`);
				}
			} finally {
				await closeDb();
			}
		}
	},

	'disable-user': {
		summary: 'désactive un compte dans tous les labos / disables an account everywhere',
		help: `npm run labo -- disable-user --email E-MAIL

Désactive le compte dans tous les labos à la fois : ses sessions se terminent, il ne peut plus se
connecter ni recevoir de lien de réinitialisation. Ses contributions restent. enable-user le rouvre.
Disables the account in every lab at once: its sessions end, it can no longer log in or get a
reset link. What it contributed stays. enable-user opens it again.`,
		options: { email: { type: 'string' } },
		async run(v) {
			const email = need(v, 'email', commands['disable-user']!.help);
			const db = await openDb();
			try {
				const acc = await disableAccount(db, COMMAND_LINE, { email }).catch(domainMessage);
				console.log(`Compte désactivé / account disabled: ${acc.email} (${acc.name})`);
			} finally {
				await closeDb();
			}
		}
	},

	'enable-user': {
		summary: 'réactive un compte désactivé / enables a disabled account',
		help: `npm run labo -- enable-user --email E-MAIL

Réactive un compte désactivé par disable-user ou depuis « Installation » ; il se connecte avec son
mot de passe d'avant (ou en demande un nouveau).
Enables an account disabled by disable-user or from "Installation"; it logs in with its former
password (or asks for a new one).`,
		options: { email: { type: 'string' } },
		async run(v) {
			const email = need(v, 'email', commands['enable-user']!.help);
			const db = await openDb();
			try {
				const acc = await enableAccount(db, COMMAND_LINE, { email }).catch(domainMessage);
				console.log(`Compte réactivé / account enabled: ${acc.email} (${acc.name})`);
			} finally {
				await closeDb();
			}
		}
	},

	network: {
		summary: 'rappels aux référents affectés / reminders to assigned referents',
		help: `npm run labo -- network remind

Envoie (dans la file des e-mails) un rappel à chaque référent affecté à un événement qui commence
dans les deux jours, une seule fois par affectation. Le serveur le fait aussi toutes les dix minutes.
Queues a reminder to each referent assigned to an event starting within two days, once per
assignment. The running server also does it every ten minutes.`,
		options: {},
		async run(_v, positionals) {
			if (positionals[0] !== 'remind') throw new CliError(`usage: network remind\n\n${commands.network!.help}`, 2);
			const db = await openDb();
			const n = await sendReminders(db);
			console.log(`Rappels mis en file / reminders queued: ${n}`);
			await closeDb();
		}
	},

	groups: {
		summary: 'forme des groupes divers (MDGPLIB) / solves a grouping instance',
		help: `npm run labo -- groups solve FICHIER [--seconds N] [--seed S] [--out SOLUTION]

Lit une instance au format MDGPLIB (première ligne « n G ss|ds a1 b1 … », puis « i j d »),
cherche des groupes aussi divers que possible, affiche l'objectif, l'instant où il a été atteint,
et vérifie la solution de zéro. --out écrit le groupe (à partir de 0) de chaque élément, un par ligne.
Reads an MDGPLIB instance, maximises within-group diversity, prints the objective, when it was
reached, and verifies the solution from scratch. --out writes each element's 0-based group.`,
		options: { seconds: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' } },
		async run(v, positionals) {
			const h = commands.groups!.help;
			const [sub, file] = positionals;
			if (sub !== 'solve' || !file) throw new CliError(`usage: groups solve FICHIER\n\n${h}`, 2);
			const seconds = Number(str(v, 'seconds') ?? 10);
			const seed = Number(str(v, 'seed') ?? 1);
			if (!(seconds > 0) || !Number.isInteger(seed))
				throw new CliError('--seconds doit être positif et --seed entier / --seconds must be positive and --seed an integer', 2);
			let text: string;
			try {
				text = fs.readFileSync(file, 'utf8');
			} catch (e) {
				throw new CliError(`fichier illisible / cannot read file: ${file} (${e instanceof Error ? e.message : String(e)})`);
			}
			let inst;
			try {
				inst = parseMdgplib(text);
			} catch (e) {
				if (e instanceof InstanceError) throw new CliError(`${file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
				throw e;
			}
			const sol = solve(inst, {}, { seconds, seed });
			const check = objective(inst, sol.assignment);
			const bad = violations(inst, sol.assignment);
			console.log(`instance: ${file} (n=${inst.n}, G=${inst.groups})`);
			console.log(`objective: ${sol.objective.toFixed(3)}`);
			console.log(`reached at: ${(sol.foundAtMs / 1000).toFixed(3)} s (of ${(sol.elapsedMs / 1000).toFixed(1)} s, ${sol.iterations} iterations, seed ${seed})`);
			console.log(`verified: ${bad.length === 0 && Math.abs(check - sol.objective) < 1e-6 ? 'yes' : `NO — ${bad.join('; ')}`}`);
			const out = str(v, 'out');
			if (out) fs.writeFileSync(out, Array.from(sol.assignment).join('\n') + '\n');
			if (bad.length) throw new CliError('solution invalide / invalid solution');
		}
	},

	import: {
		summary: 'importe un blog WordPress dans le journal / imports a WordPress blog',
		help: `npm run labo -- import wordpress FICHIER.xml --lab SLUG [--dry-run]

Importe un export WordPress (WXR 1.1 ou 1.2 : Outils › Exporter) dans le journal du labo : billets,
pages, auteurs, catégories et étiquettes, commentaires, images incluses, redirections des anciennes
adresses. Tout ou rien ; un élément déjà importé est laissé tel quel. --dry-run lit le fichier et
dit ce qui serait importé, sans rien écrire. Un fichier mal formé : sa ligne et sa colonne, code 1.
Imports a WordPress export into the lab's journal, all or nothing; items imported before are left
as they are. --dry-run only reads the file. A malformed file: its line and column, exit code 1.`,
		options: { lab: { type: 'string' }, 'dry-run': { type: 'boolean' } },
		async run(v, positionals) {
			const h = commands.import!.help;
			const [kind, file] = positionals;
			if (kind !== 'wordpress' || !file) throw new CliError(`usage: import wordpress FICHIER.xml --lab SLUG\n\n${h}`, 2);
			const labSlug = need(v, 'lab', h);
			const wp = await import('../lib/server/journal/wordpress');
			let text: string;
			try {
				text = wp.decodeWxrBytes(fs.readFileSync(file));
			} catch (e) {
				throw new CliError(`fichier illisible / cannot read file: ${file} (${e instanceof Error ? e.message : String(e)})`);
			}
			let site;
			try {
				site = wp.parseWxr(text);
			} catch (e) {
				if (e instanceof wp.WxrError)
					throw new CliError(`${file}:${e.line}:${e.column}: ${translate('fr', e.key, e.params)} / ${translate('en', e.key, e.params)}`);
				throw e;
			}
			const db = await openDb(true, true);
			try {
				const lab = await findLabBySlug(db, labSlug);
				if (!lab) throw new CliError(`labo inconnu / unknown lab: ${labSlug}`);
				const ctx = { lab, actor: null, role: 'coordinator' as const };
				const origin = process.env.ORIGIN ?? 'http://localhost';
				const res =
					v['dry-run'] === true
						? wp.dryRunCounts(await wp.analyseWxr(db, ctx, site))
						: await wp.importSite(db, ctx, site, { origin, fileName: path.basename(file) });
				console.log(
					`${v['dry-run'] === true ? 'Essai, rien n’est écrit / dry run, nothing written' : 'Import terminé / import done'}: ${site.title} (WXR ${site.version})`
				);
				for (const line of wp.formatCounts(res)) console.log(`  ${line}`);
				for (const p of res.problems) console.log(`  ! ${translate('fr', p.key, p.params)} / ${translate('en', p.key, p.params)}`);
			} finally {
				await closeDb();
			}
		}
	},

	export: {
		summary: 'écrit un fichier de données ouvertes (subventions) / writes an open-data file (grants)',
		help: EXPORT_HELP,
		options: { lab: { type: 'string' }, year: { type: 'string' }, out: { type: 'string' }, strict: { type: 'boolean' } },
		async run(v, positionals) {
			const h = EXPORT_HELP;
			if (positionals[0] !== 'subventions' || positionals.length !== 1) throw new CliError(`usage: export subventions --lab SLUG --out FICHIER\n\n${h}`, 2);
			const labSlug = need(v, 'lab', h);
			const out = need(v, 'out', h);
			const yearText = str(v, 'year');
			if (yearText !== undefined && !/^\d{4}$/.test(yearText)) throw new CliError(`--year : une année sur 4 chiffres / a 4-digit year\n\n${h}`, 2);
			const db = await openDb();
			try {
				const res = await exportSubventions(db, { lab: labSlug, year: yearText ? Number(yearText) : null, out });
				if ('unknownLab' in res) throw new CliError(`labo inconnu / unknown lab: ${labSlug}`);
				console.log(`${out}: ${res.rows} subvention(s) / grant(s)`);
				if (res.incomplete.length) {
					console.error(`Demandes incomplètes, hors du fichier / incomplete requests, left out (${res.incomplete.length}):`);
					for (const line of res.incomplete) console.error(`  - ${line}`);
					if (v.strict === true) throw new CliError(`${res.incomplete.length} demande(s) incomplète(s) / incomplete request(s)`);
				}
			} finally {
				await closeDb();
			}
		}
	},

	serve: {
		summary: 'sert Labo en production (jamais la démo) / serves Labo in production (never the demo)',
		help: `npm run labo -- serve   (ou / or: npm run serve)

Production : applique les migrations puis sert la version construite (npm run build).
Exige ORIGIN (l'adresse publique https) et LABO_SECRET, sauf si un secret est déjà enregistré
dans la base (npm run labo -- secret generate). Ne charge jamais le labo de démonstration.
Production: migrates, then serves the build. Requires ORIGIN and LABO_SECRET (or a secret
stored in the database). Never loads the demo lab.`,
		options: {},
		async run() {
			const { runProduction, StartError } = await import('./production');
			try {
				await runProduction();
			} catch (e) {
				if (e instanceof StartError) throw new CliError(e.message);
				throw e;
			}
			// Serving: never resolve, so the process stays up until a signal stops it.
			await new Promise<void>(() => {});
		}
	},

	secret: {
		summary: "crée le secret de l'installation dans la base / stores the installation secret",
		help: `npm run labo -- secret generate

Crée un secret aléatoire et l'enregistre dans la base, une fois : tous les serveurs de cette base
le partagent sans configuration (LABO_SECRET, s'il est défini, reste prioritaire). Refuse s'il
en existe déjà un : le changer rendrait inconnus les commentateurs déjà vus.
Generates a random secret and stores it in the database, once; every server of that database
shares it (LABO_SECRET, when set, takes precedence). Refuses when one is already stored.`,
		options: {},
		async run(_v, positionals) {
			if (positionals[0] !== 'generate') throw new CliError(`sous-commande attendue / expected sub-command: generate\n\n${commands.secret!.help}`, 2);
			const db = await openDb();
			try {
				const r = await generateInstallationSecret(db);
				console.log(
					r === 'created'
						? 'Secret créé et enregistré dans la base / secret generated and stored in the database'
						: 'Un secret est déjà enregistré : rien de changé / a secret is already stored: nothing changed'
				);
			} finally {
				await closeDb();
			}
		}
	},

	backup: {
		summary: 'sauvegarde la base dans un fichier / backs the database up to a file',
		help: `npm run labo -- backup --out FICHIER

SQLite : copie en ligne (l'application peut tourner pendant la sauvegarde).
PostgreSQL : pg_dump au format custom (pg_dump doit être installé).
SQLite: online copy (the app may keep running). PostgreSQL: pg_dump, custom format.`,
		options: { out: { type: 'string' } },
		async run(v) {
			const out = path.resolve(need(v, 'out', commands.backup!.help));
			if (fs.existsSync(out)) throw new CliError(`le fichier existe déjà / file already exists: ${out}`);
			const db = await openDb();
			const dialect = dialectOf(db);
			await closeDb();
			fs.mkdirSync(path.dirname(out), { recursive: true });
			if (dialect === 'postgres') {
				const run = pgToolInvocation('pg_dump', ['--format=custom', '--no-owner', `--file=${out}`], configuredUrl());
				const r = spawnSync(run.command, run.args, { env: run.env, stdio: ['ignore', 'inherit', 'pipe'] });
				if (r.error) throw new CliError(`pg_dump introuvable / not found: ${r.error.message}`);
				if (r.status !== 0) throw new CliError(`pg_dump a échoué / failed: ${r.stderr.toString().trim()}`);
			} else {
				const source = openSqlite(configuredUrl(), { readonly: true, fileMustExist: true });
				try {
					await source.backup(out);
				} finally {
					source.close();
				}
			}
			console.log(`Sauvegarde écrite / backup written: ${out} (${fs.statSync(out).size} octets/bytes)`);
		}
	},

	restore: {
		summary: 'restaure la base depuis une sauvegarde / restores from a backup',
		help: `npm run labo -- restore --from FICHIER --yes

Remplace TOUTE la base configurée par la sauvegarde. Arrêtez l'application avant.
Replaces the WHOLE configured database with the backup. Stop the app first.`,
		options: { from: { type: 'string' }, yes: { type: 'boolean' } },
		async run(v) {
			const from = path.resolve(need(v, 'from', commands.restore!.help));
			if (!fs.existsSync(from)) throw new CliError(`fichier introuvable / file not found: ${from}`);
			if (v.yes !== true) throw new CliError('ajoutez --yes pour confirmer le remplacement de la base / add --yes to confirm replacing the database', 2);
			const url = configuredUrl();
			if (isPostgresUrl(url)) {
				// --dbname is taken from PGDATABASE: pg_restore restores into the database named there.
				const run = pgToolInvocation('pg_restore', ['--clean', '--if-exists', '--no-owner', `--dbname=${pgEnvFromUrl(url).PGDATABASE ?? ''}`, from], url);
				const r = spawnSync(run.command, run.args, { env: run.env, stdio: ['ignore', 'inherit', 'pipe'] });
				if (r.error) throw new CliError(`pg_restore introuvable / not found: ${r.error.message}`);
				if (r.status !== 0) throw new CliError(`pg_restore a échoué / failed: ${r.stderr.toString().trim()}`);
			} else {
				let source: SQLite.Database;
				try {
					source = openSqlite(from, { readonly: true, fileMustExist: true });
					const ok = source.pragma('integrity_check', { simple: true });
					const hasLab = source.prepare("select 1 from sqlite_master where type = 'table' and name = 'lab'").get();
					if (ok !== 'ok' || !hasLab) throw new Error('not a Labo database');
				} catch (e) {
					throw new CliError(`ce fichier n'est pas une sauvegarde Labo valide / not a valid Labo backup: ${e instanceof Error ? e.message : String(e)}`);
				}
				fs.mkdirSync(path.dirname(url), { recursive: true });
				try {
					await source.backup(url);
				} finally {
					source.close();
				}
			}
			const db = await openDb();
			await migrate(db);
			await closeDb();
			console.log(`Base restaurée depuis / database restored from: ${from}`);
		}
	}
};

export function printDemoAccounts(): void {
	console.log(`\nComptes de démonstration / demo accounts (mot de passe / password: ${DEMO_PASSWORD})`);
	for (const a of DEMO_ACCOUNTS)
		console.log(`  ${a.email.padEnd(38)} ${roleLabel('fr', a.role)} / ${roleLabel('en', a.role)} — ${a.lab}${a.admin ? ' (+ Installation)' : ''}`);
}
