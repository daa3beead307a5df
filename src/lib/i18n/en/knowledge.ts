import type { knowledge as fr } from '../fr/knowledge';

/** English messages: knowledge. */
export const knowledge = {
	'knowledge.title': 'Knowledge base',
	'knowledge.intro': 'Principles, methods, operating forms, mobilisation ideas and lessons: what the lab has learned.',
	'knowledge.new': 'New item',
	'knowledge.edit': 'Edit',
	'knowledge.editTitle': 'Edit "{title}"',
	'knowledge.save': 'Save',
	'knowledge.create': 'Create the item',
	'knowledge.saved': 'Item saved (version {version}).',
	'knowledge.created': 'Item created.',
	'knowledge.field.type': 'Type',
	'knowledge.field.title': 'Title',
	'knowledge.field.body': 'Content (markdown)',
	'knowledge.field.bodyHint': 'To cite another item, write its title between double brackets: [[Item title]].',
	'knowledge.field.tags': 'Tags',
	'knowledge.field.tagsHint': 'Separated by commas.',
	'knowledge.field.visibility': 'Visibility',
	'knowledge.allTypes': 'All types',
	'knowledge.allTags': 'All tags',
	'knowledge.empty': 'No item yet. Create the first one, or turn a workshop’s outputs into items.',
	'knowledge.count': '{count} {count|item|items}',
	'knowledge.versions': 'Version history',
	'knowledge.version': 'Version {version}',
	'knowledge.backlinks': 'Mentioned in',
	'knowledge.source': 'Source',
	'knowledge.updated': 'Updated on {date}',
	'knowledge.notFound': 'This item does not exist or is not visible to you.',
	'knowledge.conflict':
		'Someone saved another version (version {version}) while you were writing. Your text is kept below: reload the item to see the other version, then carry your changes over.',
	'knowledge.type.principle': 'principle',
	'knowledge.type.method': 'method',
	'knowledge.type.operating_form': 'operating form',
	'knowledge.type.mobilisation_idea': 'mobilisation idea',
	'knowledge.type.lesson': 'lesson'
} satisfies Record<keyof typeof fr, string>;
