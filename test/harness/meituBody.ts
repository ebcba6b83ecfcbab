/** Create bodies for the fake Akool's Meitu Yunxiu Pro model, as its tests build them. */
import { MEITU_DEFAULT_PEOPLE_TYPE, MODEL_MEITU } from '../fake-akool';

export type Json = Record<string, unknown>;
/** A fresh, editable copy of the five documented people_type entries. */
export const people = (): Json[] => structuredClone(MEITU_DEFAULT_PEOPLE_TYPE) as unknown as Json[];
export const SOURCE = 'https://photos.example.com/portrait.jpg';

/** A valid Meitu body (the docs' example), with `parameter` and top-level fields overridden. */
export function meituBody(over: Json = {}, parameter: Json = {}): Json {
	return {
		model_name: MODEL_MEITU,
		source_images: [SOURCE],
		parameter: {
			people_type: people(),
			all_params: { exposure: 20, saturability: 10, remove_pouch: [30, 30, 30, 30, 30] },
			...parameter,
		},
		batch_quantity: 1,
		...over,
	};
}
