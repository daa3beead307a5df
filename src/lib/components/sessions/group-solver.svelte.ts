/**
 * The groups on screen and the search for better ones: the saved version, or a proposal not
 * yet saved (from the solver, which runs in a Web Worker and streams its best score, or from
 * manual moves). A new saved version drops the proposal; so do new participants or sizes,
 * while the proposal no longer fits them.
 */
import { t } from '$lib/i18n/t.svelte';
import { buildProblem, facilitatorPlan, scoreOf, type PlanFacilitator } from '$lib/shared/sessions';
import type { SessionLabels, SessionPageData } from './session-page';

type SolverData = Pick<SessionPageData, 'participants' | 'attributes' | 'settings' | 'candidates' | 'plan'>;

interface Draft {
	assignment: number[];
	source: 'solver' | 'manual';
	facilitators: PlanFacilitator[];
	/** The saved version it was made on. */
	version: number;
}

export class GroupSolver {
	readonly #data: () => SolverData;
	readonly #problemText: SessionLabels['problemText'];
	#made = $state<Draft | null>(null);
	#handle: { stop(): { assignment: number[]; best: number } | null } | null = null;

	/** While searching: the best score so far and the time spent. */
	solving = $state<{ best: number; elapsedMs: number } | null>(null);
	solveError = $state<string | null>(null);

	constructor(data: () => SolverData, problemText: SessionLabels['problemText']) {
		this.#data = data;
		this.#problemText = problemText;
	}

	readonly problem = $derived.by(() => {
		const d = this.#data();
		return buildProblem(d.participants, d.attributes, d.settings, d.settings.facilitators.length);
	});
	#version = $derived.by(() => this.#data().plan?.version ?? 0);
	/** The proposal made since the last saved version, fitting or not. */
	#current = $derived(this.#made && this.#made.version === this.#version ? this.#made : null);
	/** The proposal, when it fits the participants and sizes of now. */
	readonly draft = $derived(
		this.#current && this.#current.assignment.length === this.problem.n && this.#current.assignment.every((g) => g >= 0 && g < this.problem.groups)
			? this.#current
			: null
	);
	readonly #saved = $derived.by(() => {
		const { plan, participants } = this.#data();
		return plan && plan.groups === this.problem.groups && participants.every((p) => plan.assignment[p.id] !== undefined)
			? participants.map((p) => plan.assignment[p.id]!)
			: null;
	});
	/** The groups on screen: the proposal, else the saved version. */
	readonly shown = $derived(this.draft ? this.draft.assignment : this.#saved);
	// A lookup rebuilt whenever the candidates change, never mutated: no reactive map needed.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #candidateName = $derived.by(() => new Map(this.#data().candidates.map((c) => [c.referentId, c.name])));
	readonly shownFacilitators = $derived.by(() =>
		this.draft ? this.draft.facilitators.map((f) => ({ ...f, name: this.#candidateName.get(f.referentId) ?? '?' })) : (this.#data().plan?.facilitators ?? [])
	);
	readonly unsavedScore = $derived(this.draft ? scoreOf(this.problem, this.draft.assignment) : null);
	/** What the save form sends. */
	readonly planJson = $derived.by(() => {
		const { participants, plan } = this.#data();
		const shown = this.shown;
		if (!shown) return '';
		return JSON.stringify({
			assignment: Object.fromEntries(participants.map((p, i) => [p.id, shown[i]])),
			facilitators: this.draft ? this.draft.facilitators : this.#savedFacilitators(),
			source: this.draft ? this.draft.source : 'manual',
			baseVersion: plan?.version ?? 0
		});
	});

	#savedFacilitators(): PlanFacilitator[] {
		return (this.#data().plan?.facilitators ?? []).map((f) => ({ groupIndex: f.groupIndex, referentId: f.referentId, role: f.role }));
	}

	#propose(assignment: number[]) {
		const d = this.#data();
		this.#made = {
			assignment,
			source: 'solver',
			facilitators: facilitatorPlan(this.problem.groups, d.candidates, d.settings.facilitators),
			version: this.#version
		};
	}

	/** A manual move or swap on the board. */
	change(next: number[]) {
		this.#made = { assignment: next, source: 'manual', facilitators: this.#current?.facilitators ?? this.#savedFacilitators(), version: this.#version };
	}

	/** Searches in the browser (instead of submitting the form, which solves on the server). */
	async start(e: Event) {
		e.preventDefault();
		this.solveError = null;
		const { startSolve, SolveError } = await import('$lib/grouping/client');
		const d = this.#data();
		const p = this.problem;
		this.solving = { best: 0, elapsedMs: 0 };
		const run = startSolve(
			{
				instance: { n: p.n, groups: p.groups, min: Array.from(p.min), max: Array.from(p.max), d: p.d },
				constraints: { pinned: p.pinned, apart: p.apart, together: p.together },
				seed: this.#version + 1,
				seconds: d.settings.seconds,
				facilitators: d.settings.facilitators.length || undefined
			},
			(progress) => (this.solving = { best: progress.best, elapsedMs: progress.elapsedMs })
		);
		this.#handle = run;
		try {
			const r = await run.done;
			if (r) this.#propose(r.assignment);
		} catch (err) {
			this.solveError = err instanceof SolveError ? this.#problemText({ code: err.code, params: err.params }) : t('grouping.solveFailed');
		} finally {
			this.solving = null;
			this.#handle = null;
		}
	}

	/** Stops the search and keeps the best groups found so far. */
	stop() {
		const r = this.#handle?.stop();
		if (r) this.#propose(r.assignment);
		this.solving = null;
	}
}
