/**
 * The `labo` command's dispatcher: parses the command line, runs one command and returns the
 * exit code (0 done, 1 failed, 2 wrong usage). `index.ts` is the process around it.
 */
import { parseArgs } from 'node:util';
import { commands, CliError } from './commands';

const USAGE = `Utilisation / usage: npm run labo -- <commande> [options]

Commandes / commands:
${Object.entries(commands)
	.map(([name, c]) => `  ${name.padEnd(20)} ${c.summary}`)
	.join('\n')}

"npm run labo -- <commande> --help" décrit chaque commande / describes each command.`;

export async function runCli(argv: string[]): Promise<number> {
	const [name, ...rest] = argv;
	if (!name || name === '--help' || name === '-h' || name === 'help') {
		console.log(USAGE);
		return name ? 0 : 2;
	}
	const command = commands[name];
	if (!command) {
		console.error(`Commande inconnue / unknown command: ${name}\n\n${USAGE}`);
		return 2;
	}
	let parsed;
	try {
		parsed = parseArgs({
			args: rest,
			options: { ...command.options, help: { type: 'boolean', short: 'h' } },
			allowPositionals: true,
			strict: true
		});
	} catch (e) {
		console.error(`${e instanceof Error ? e.message : String(e)}\n\n${command.help}`);
		return 2;
	}
	if (parsed.values.help) {
		console.log(command.help);
		return 0;
	}
	try {
		await command.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
		return 0;
	} catch (e) {
		if (e instanceof CliError) {
			console.error(`Erreur / error: ${e.message}`);
			return e.exitCode;
		}
		console.error(`Erreur / error: ${e instanceof Error ? e.message : String(e)}`);
		return 1;
	}
}
