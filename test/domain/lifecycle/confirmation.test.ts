import { describe, expect, it } from 'vitest';
import {
  decideConfirmation,
  type RequestState,
  type SiblingRequest,
} from '../../../src/domain/lifecycle/decisions';

const request = (frameworks: RequestState['frameworks']): RequestState => ({
  id: 'new',
  reference: 'AM-NEW',
  status: 'unconfirmed',
  expiresAt: '2027-12-31T00:00:00.000Z',
  contactHeld: true,
  frameworks,
  briefs: [],
  proposals: [],
  quotes: [],
  calls: [],
});
const sibling = (id: string, frameworks: SiblingRequest['frameworks']): SiblingRequest => ({
  id,
  reference: `AM-${id}`,
  frameworks,
  briefs: [],
});

describe('confirming a request while others of the same buyer are open', () => {
  it('confirms a request for a need no open request covers', () => {
    expect(
      decideConfirmation({ request: request(['iso42001']), siblings: [sibling('a', ['soc2'])] }),
    ).toEqual({ kind: 'confirm' });
  });

  it('names every open request it overlaps, so replacing leaves no second request for the same need', () => {
    const outcome = decideConfirmation({
      request: request(['soc2', 'iso42001']),
      siblings: [sibling('a', ['soc2']), sibling('b', ['hipaa']), sibling('c', ['iso42001'])],
    });
    expect(outcome.kind).toBe('duplicate');
    if (outcome.kind !== 'duplicate') return;
    expect(outcome.all.map((s) => s.id)).toEqual(['a', 'c']);
    expect(outcome.of.id).toBe('a');
  });
});
