import { describe, expect, it } from 'vitest';
import { match } from '../../../src/domain/matching';
import { CTX, credential, makeFirm, makeScope } from './fixtures';

describe('why this firm: reasons belong to the requested frameworks', () => {
  it('a SOC 2 request never lists an ISO accreditation, and each card carries its price band', () => {
    const accreditation = credential({
      kind: 'iso-accreditation',
      scopeStandards: ['ISO/IEC 27001', 'ISO/IEC 42001'],
      schemeStandards: ['ISO/IEC 17021-1', 'ISO/IEC 27006-1', 'ISO/IEC 42006'],
    });
    const base = makeFirm({ firmType: 'cpa-and-certification-body' }, [
      'soc2',
      'iso27001',
      'iso42001',
    ]);
    const firm = { ...base, credentials: [accreditation, ...base.credentials] };
    const result = match([firm], makeScope({ aiExposure: 'ai-is-the-product' }), CTX);
    const [proposal] = result.proposals;
    expect(proposal).toBeDefined();
    expect(proposal!.reasons.join(' ')).not.toMatch(/Accredited|accreditation|ISO/);
    expect(proposal!.reasons.join(' ')).toMatch(/SOC 2/);
    expect(proposal!.priceBands).toEqual([{ framework: 'soc2', minUsd: 20000, maxUsd: 40000 }]);
  });
});
