/**
 * Open data: the identifiers and choices of the grants file (SCDL "subventions" 2.1.1), shared by
 * the forms and the server. Pure; no server code.
 */
import { z } from 'zod';
import { isIsoDay } from './events';
import { msg } from './forms';

/** The aid's nature, as the format spells it. */
export const AID_NATURES = ['aide en numéraire', 'aide en nature', 'aide en numéraire;aide en nature', 'aide en nature;aide en numéraire'] as const;
export type AidNature = (typeof AID_NATURES)[number];

/** Payment terms the format names; anything else is a free description (under 256 characters). */
export const PAYMENT_TERMS = ['unique', 'échelonné'] as const;

export const SIRET_RE = /^\d{14}$/;
export const RNA_RE = /^W\d{9}$/;

/**
 * A SIRET: 14 digits passing the Luhn check. La Poste's establishments (SIREN 356 000 000) are the
 * one exception INSEE documents: for them the digits add up to a multiple of 5.
 */
export function isSiret(v: string): boolean {
	if (!SIRET_RE.test(v)) return false;
	if (v.startsWith('356000000') && v !== '35600000000048') return [...v].reduce((a, c) => a + Number(c), 0) % 5 === 0;
	let sum = 0;
	for (let i = 0; i < 14; i++) {
		let n = Number(v[13 - i]);
		if (i % 2 === 1) {
			n *= 2;
			if (n > 9) n -= 9;
		}
		sum += n;
	}
	return sum % 10 === 0;
}

// Refinements, not regex(): their message is the catalogue key the form shows (a regex failure
// would be told as a generic "invalid value").
/** Spaces people type in a SIRET ("130 026 032 00019") are dropped before checking. */
const siretField = z
	.string()
	.transform((v) => v.replace(/\s+/g, ''))
	.pipe(
		z
			.string()
			.refine((v) => SIRET_RE.test(v), { message: msg('opendata.siretFormat'), abort: true })
			.refine(isSiret, { message: msg('opendata.siretChecksum') })
	);

const optional = <O>(field: z.ZodType<O, string>) =>
	z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v : null))
		.pipe(z.union([z.null(), field]));

/** The granting authority: the lab's institution (lab settings). */
export const authoritySchema = z.object({
	authorityName: z.string().trim().min(1).max(200),
	authoritySiret: siretField
});

/**
 * A funding request's grant details. Every field may be left blank (the export page lists what
 * is still missing); what is typed must be well formed.
 */
export const grantDetailsSchema = z.object({
	beneficiaryName: optional(z.string().max(200)),
	beneficiarySiret: optional(siretField),
	beneficiaryRna: optional(
		z
			.string()
			.transform((v) => v.replace(/\s+/g, '').toUpperCase())
			.pipe(z.string().refine((v) => RNA_RE.test(v), { message: msg('opendata.rnaFormat') }))
	),
	agreementDate: optional(z.string().refine(isIsoDay, { message: msg('opendata.dateFormat') })),
	decisionReference: optional(z.string().max(200)),
	aidNature: optional(z.string().refine((v) => (AID_NATURES as readonly string[]).includes(v), { message: msg('form.invalidChoice') })),
	paymentTerms: optional(z.string().max(255)),
	euNotified: z
		.string()
		.optional()
		.transform((v) => v === 'on' || v === 'oui' || v === 'true')
});
export type GrantDetailsInput = z.output<typeof grantDetailsSchema>;
