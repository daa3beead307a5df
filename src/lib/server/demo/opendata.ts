/**
 * The demo lab's grants for the open-data file: the Region as granting authority, complete
 * agreement details on most approved requests, and one approved request left incomplete (no
 * beneficiary identifier, no agreement date) so the export page has something to list.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { LabContext } from '../labs';
import { setGrantingAuthority } from '../labs';
import { advanceRequest, createRequest, decideRequest, recordEntry } from '../fund/fund.service';
import { setGrantDetails } from '../fund/grants';

export async function seedOpenData(
	trx: Kysely<Database>,
	asResident: LabContext,
	asCoordinator: LabContext,
	ids: { envelope: string; claret: string; numeric: string; numericRequest: string }
): Promise<void> {
	await setGrantingAuthority(trx, asCoordinator, { name: 'Région Provence-Alpes-Côte d’Azur', siret: '23130002100012' });
	await setGrantDetails(trx, asCoordinator, ids.numericRequest, {
		beneficiaryName: 'Université de Nîmes (école de design, fictive)',
		beneficiarySiret: '19301145900016',
		beneficiaryRna: null,
		agreementDate: '2014-03-12',
		decisionReference: 'Décision FDX-2014-01',
		aidNature: 'aide en numéraire',
		paymentTerms: 'échelonné',
		euNotified: false
	});

	// An assistance to the contracting authority for the Claret experiment, approved and paid once.
	const amo = await createRequest(trx, asResident, {
		envelopeId: ids.envelope,
		experimentId: ids.claret,
		title: 'Assistance à maîtrise d’ouvrage pour commander le service de design',
		justification: 'Une AMO aide la Direction des Lycées à écrire le cahier des charges et à choisir le prestataire.',
		lines: [{ label: 'AMO (12 jours)', category: 'prestation', amountCents: 12_000_00 }]
	});
	await advanceRequest(trx, asResident, amo, 'submitted');
	await decideRequest(trx, asCoordinator, amo, { approve: true, reason: 'Conforme au cadrage de l’expérimentation.' });
	const order = await recordEntry(trx, asCoordinator, {
		kind: 'commitment',
		envelopeId: ids.envelope,
		experimentId: ids.claret,
		amountCents: 12_000_00,
		reference: 'Convention AMO Claret',
		category: 'prestation'
	});
	await recordEntry(trx, asCoordinator, {
		kind: 'payment',
		envelopeId: ids.envelope,
		experimentId: ids.claret,
		amountCents: 12_000_00,
		commitmentId: order,
		reference: 'Paiement unique AMO',
		category: 'prestation'
	});
	await setGrantDetails(trx, asCoordinator, amo, {
		beneficiaryName: 'Association Design des politiques publiques (fictive)',
		beneficiarySiret: null,
		beneficiaryRna: 'W831000123',
		agreementDate: '2014-04-02',
		decisionReference: 'Décision FDX-2014-02',
		aidNature: 'aide en numéraire',
		paymentTerms: 'unique',
		euNotified: false
	});

	// Approved, but its agreement is not signed yet: the export page lists what it lacks.
	const restitution = await createRequest(trx, asResident, {
		envelopeId: ids.envelope,
		experimentId: ids.claret,
		title: 'Restitution aux agents du lycée Claret',
		justification: 'Une demi-journée de restitution avec les agents et les élèves délégués.',
		lines: [{ label: 'Animation et supports', category: 'prestation', amountCents: 3_500_00 }]
	});
	await advanceRequest(trx, asResident, restitution, 'submitted');
	await decideRequest(trx, asCoordinator, restitution, { approve: true, reason: 'Restitution prévue dans le cahier des charges.' });
	await setGrantDetails(trx, asCoordinator, restitution, {
		beneficiaryName: 'Agence de design (fictive)',
		beneficiarySiret: null,
		beneficiaryRna: null,
		agreementDate: null,
		decisionReference: 'Décision FDX-2014-03',
		aidNature: 'aide en numéraire',
		paymentTerms: 'unique',
		euNotified: false
	});
}
