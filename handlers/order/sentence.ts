/**
 * How every cause and message the handlers write reads: a full sentence, with a capital letter first
 * and a full stop last. The state machine adds to causes (`Order … failed (REASON): <cause>`, `<cause>
 * Order … already has a record …`), which reads right only when each cause is a sentence of its own.
 */

/** Whether `text` is a full sentence: it starts with a capital letter or a digit and ends with a full stop. */
export function isSentence(text: string): boolean {
  return /^[A-Z0-9]/.test(text) && /[^.]\.$/.test(text) && !/\s$/.test(text.slice(0, -1));
}

/** `text` as a full sentence: its first letter made capital and a full stop added if it has none. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return capital.endsWith(".") ? capital : `${capital}.`;
}
