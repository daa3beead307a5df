import { z } from 'zod';
import { emailField } from './schemas';

// The installation area's forms (labs, coordinators, accounts). Error messages are catalogue keys.

// `labName`, not `name`: the coordinator form beside it on the same page has a person's name.
export const createLabSchema = z.object({
	labName: z.string().trim().min(1).max(120),
	// The format itself is checked by the service, which explains it (lab.invalidSlug).
	slug: z.string().trim().min(1).max(40),
	region: z.string().trim().min(1).max(120),
	description: z.string().trim().max(1000).default('')
});

export const appointCoordinatorSchema = z.object({
	labId: z.uuid(),
	email: emailField,
	// Only needed when the address has no account yet (the invitation greets them by name).
	name: z
		.string()
		.trim()
		.max(120)
		.optional()
		.transform((v) => v || undefined)
});

export const accountIdSchema = z.object({ accountId: z.uuid() });

export const accountFilterSchema = z.object({ q: z.string().trim().max(100).optional().catch(undefined) });
