/**
 * Security answers are compared after normalising (Unicode NFC, trimmed, inner spaces collapsed,
 * case-folded), so "  naim FRASHËRI " matches "Naim Frashëri". The hash is taken of this form.
 */
export function normaliseSecurityAnswer(answer: string): string {
  return answer.normalize('NFC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('und');
}
