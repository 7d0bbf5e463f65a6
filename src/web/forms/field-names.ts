/** Names of the flat HTML controls that hold nested values, shared by the forms that read them and the views that draw them. */
import type { QuotePhase } from '../../domain/quotes';
import type { FrameworkId, SizeBand } from '../../domain/vocabulary';

/** Names of the quote form's fee boxes: the fee (or the low end of a range) and its "up to". */
export const feeField = (framework: FrameworkId, phase: QuotePhase) => `fee_${framework}_${phase}`;
export const feeToField = (framework: FrameworkId, phase: QuotePhase) =>
  `feeTo_${framework}_${phase}`;

/** The profile form's per-framework controls. */
const bandKey = (band: SizeBand) => band.replace('+', 'plus');
export const PROFILE_FIELD = {
  variants: (fw: FrameworkId) => `variants_${fw}`,
  min: (fw: FrameworkId, band: SizeBand) => `min_${fw}_${bandKey(band)}`,
  max: (fw: FrameworkId, band: SizeBand) => `max_${fw}_${bandKey(band)}`,
  lead: (fw: FrameworkId) => `lead_${fw}`,
  capacity: (fw: FrameworkId) => `capacity_${fw}`,
  paused: (fw: FrameworkId) => `paused_${fw}`,
  until: (fw: FrameworkId) => `until_${fw}`,
};
