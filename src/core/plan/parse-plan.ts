import type { ParsePlanOptions, Plan } from './types';

/**
 * Parses a Markdown optimization plan. (Implementation in progress.)
 * @param text the whole plan, as read (BOM, CRLF, tabs allowed)
 * @returns the plan; never throws for any string input
 */
export function parsePlan(text: string, options: ParsePlanOptions = {}): Plan {
  void text;
  const title = options.file ?? 'Untitled plan';
  return {
    file: options.file ?? null,
    title,
    metadata: { title, status: null, date: null, author: null, profilePaths: [] },
    sections: [],
    phases: [],
    tasks: [],
    items: [],
    locations: [],
    claims: [],
    gains: [],
  };
}
