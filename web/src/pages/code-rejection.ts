import type { CodeRejection } from '../generated/operations';
import { t } from '../i18n/i18n';

/** A refused code in plain words, with what to do next. */
export function codeRejectionText(reason: CodeRejection, attemptsLeft: number): string {
  switch (reason) {
    case 'INVALID':
      return t('code.invalid', { n: attemptsLeft });
    case 'EXPIRED':
      return t('code.expired');
    case 'TOO_MANY_ATTEMPTS':
      return t('code.tooMany');
    case 'ALREADY_USED':
      return t('code.used');
  }
}
