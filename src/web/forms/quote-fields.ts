import type { QuotePhase } from '../../domain/quotes';
import type { FrameworkId } from '../../domain/vocabulary';

/** Names of the quote form's fee boxes: the fee (or the low end of a range) and its "up to". */
export const feeField = (framework: FrameworkId, phase: QuotePhase) => `fee_${framework}_${phase}`;
export const feeToField = (framework: FrameworkId, phase: QuotePhase) => `feeTo_${framework}_${phase}`;
