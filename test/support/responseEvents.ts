/** The events a Responses stream opens with, before any output, in the order OpenAI sends them. */
export const openingEvents = ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added'];

/** The types of a whole Responses stream with one text message in `deltas` pieces, in the order OpenAI sends them. */
export function completedTextStream(deltas: number): string[] {
  return [
    ...openingEvents,
    ...Array<string>(deltas).fill('response.output_text.delta'),
    'response.output_text.done',
    'response.content_part.done',
    'response.output_item.done',
    'response.completed',
  ];
}
