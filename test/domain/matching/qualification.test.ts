import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Credential } from '../../../src/domain/firm';
import { eligibility, isQualified, match, qualification } from '../../../src/domain/matching';
import { namesStandard } from '../../../src/domain/matching/qualification';
import type { FrameworkId } from '../../../src/domain/vocabulary';
import {
  accreditation,
  CPA_LICENCE,
  CTX,
  credential,
  makeFirm,
  makeScope,
  PEER_REVIEW,
  TODAY,
} from './fixtures';

const holding = (...credentials: Credential[]) => ({ credentials });
const qualifies = (framework: FrameworkId, ...credentials: Credential[]) =>
  isQualified(holding(...credentials), framework, TODAY);
const problem = (framework: FrameworkId, ...credentials: Credential[]) =>
  qualification(holding(...credentials), framework, TODAY).problem;

describe('SOC reports: a licensed CPA firm with a current peer review', () => {
  it('needs both the licence and the peer review', () => {
    expect(qualifies('soc2', CPA_LICENCE, PEER_REVIEW)).toBe(true);
    expect(qualifies('soc1', CPA_LICENCE, PEER_REVIEW)).toBe(true);
    expect(qualifies('soc2', CPA_LICENCE)).toBe(false);
    expect(qualifies('soc2', PEER_REVIEW)).toBe(false);
    expect(problem('soc2', CPA_LICENCE)).toBe('no current AICPA peer review');
  });

  it('an expired peer review disqualifies, and says when it expired', () => {
    const expired = credential({ kind: 'aicpa-peer-review', validTo: '2027-01-31' });
    expect(qualifies('soc2', CPA_LICENCE, expired)).toBe(false);
    expect(problem('soc2', CPA_LICENCE, expired)).toBe(
      'AICPA peer review expired on 31 January 2027',
    );
    // Expired in an earlier year: the year is shown.
    const older = credential({ kind: 'aicpa-peer-review', validTo: '2026-06-30' });
    expect(problem('soc2', CPA_LICENCE, older)).toBe('AICPA peer review expired on 30 June 2026');
  });

  it('a credential awaiting verification, rejected or revoked does not count', () => {
    for (const verification of ['pending', 'rejected', 'revoked'] as const) {
      expect(
        qualifies('soc2', CPA_LICENCE, credential({ kind: 'aicpa-peer-review', verification })),
      ).toBe(false);
    }
    expect(
      problem(
        'soc2',
        CPA_LICENCE,
        credential({ kind: 'aicpa-peer-review', verification: 'pending' }),
      ),
    ).toBe('AICPA peer review awaiting our verification');
  });

  it('a credential not yet valid does not count; valid from today does', () => {
    expect(
      qualifies(
        'soc2',
        CPA_LICENCE,
        credential({ kind: 'aicpa-peer-review', validFrom: '2027-03-11' }),
      ),
    ).toBe(false);
    expect(
      qualifies('soc2', CPA_LICENCE, credential({ kind: 'aicpa-peer-review', validFrom: TODAY })),
    ).toBe(true);
    expect(
      qualifies('soc2', CPA_LICENCE, credential({ kind: 'aicpa-peer-review', validTo: null })),
    ).toBe(true);
  });

  it('a current peer review next to an expired one is enough, and the nearest miss is reported', () => {
    const expired = credential({ kind: 'aicpa-peer-review', validTo: '2026-01-31' });
    expect(qualifies('soc2', CPA_LICENCE, expired, PEER_REVIEW)).toBe(true);
    const pending = credential({ kind: 'aicpa-peer-review', verification: 'pending' });
    expect(problem('soc2', CPA_LICENCE, expired, pending)).toBe(
      'AICPA peer review awaiting our verification',
    );
  });
});

describe('ISO certificates: accreditation under ISO/IEC 17021-1 naming the standard', () => {
  it('qualifies when the scope names the standard, with or without its year', () => {
    expect(qualifies('iso42001', accreditation(['ISO/IEC 42001:2023']))).toBe(true);
    expect(qualifies('iso42001', accreditation(['ISO 42001']))).toBe(true);
    expect(qualifies('iso27001', accreditation(['ISO/IEC 27001:2022']))).toBe(true);
    expect(qualifies('iso27701', accreditation(['ISO/IEC 27701:2019']))).toBe(true);
  });

  it('a non-accredited 42001 certificate never qualifies, however verified and current', () => {
    const nonAccredited = credential({
      kind: 'non-accredited-certificate',
      scopeStandards: ['ISO/IEC 42001'],
      schemeStandards: ['ISO/IEC 17021-1'],
    });
    expect(qualifies('iso42001', nonAccredited)).toBe(false);
    expect(problem('iso42001', nonAccredited)).toBe(
      'offers only a non-accredited ISO/IEC 42001 certificate, which never qualifies',
    );
    for (const framework of ['soc2', 'iso27001', 'hipaa', 'pci-dss', 'hitrust'] as const) {
      expect(qualifies(framework, nonAccredited)).toBe(false);
    }
    const firm = makeFirm({ firmType: 'certification-body', credentials: [nonAccredited] }, [
      'iso42001',
    ]);
    expect(
      match([firm], makeScope({ frameworks: [{ framework: 'iso42001' }] }), CTX).proposals,
    ).toEqual([]);
  });

  it('an accreditation for ISO/IEC 27001 only does not qualify for 42001', () => {
    const only27001 = accreditation(['ISO/IEC 27001:2022']);
    expect(qualifies('iso42001', only27001)).toBe(false);
    expect(problem('iso42001', only27001)).toBe(
      'its accreditation covers ISO/IEC 27001:2022, not ISO/IEC 42001',
    );
    // Nor does 27701 stand in for 27001, though the numbers look alike.
    expect(qualifies('iso27001', accreditation(['ISO/IEC 27701']))).toBe(false);
  });

  it('needs ISO/IEC 17021-1 among the scheme standards', () => {
    const without17021 = accreditation(['ISO/IEC 42001'], { schemeStandards: ['ISO/IEC 17065'] });
    expect(qualifies('iso42001', without17021)).toBe(false);
    expect(problem('iso42001', without17021)).toBe(
      'its ISO/IEC 42001 accreditation is not under ISO/IEC 17021-1',
    );
    expect(
      qualifies(
        'iso42001',
        accreditation(['ISO/IEC 42001'], {
          schemeStandards: ['ISO/IEC 17021-1:2015', 'ISO/IEC 42006'],
        }),
      ),
    ).toBe(true);
  });

  it('a 42001 accreditation under 17021-1 without ISO/IEC 42006 does not qualify; with it, it does', () => {
    const without42006 = accreditation(['ISO/IEC 42001:2023'], {
      schemeStandards: ['ISO/IEC 17021-1'],
    });
    expect(qualifies('iso42001', without42006)).toBe(false);
    expect(problem('iso42001', without42006)).toBe(
      'its ISO/IEC 42001 accreditation is not under ISO/IEC 42006',
    );
    const with42006 = accreditation(['ISO/IEC 42001:2023'], {
      schemeStandards: ['ISO/IEC 17021-1', 'ISO/IEC 42006'],
    });
    expect(qualifies('iso42001', with42006)).toBe(true);
    expect(problem('iso42001', with42006)).toBeNull();
    // 42006 alone, without ISO/IEC 17021-1, is not enough either.
    expect(
      qualifies(
        'iso42001',
        accreditation(['ISO/IEC 42001'], { schemeStandards: ['ISO/IEC 42006'] }),
      ),
    ).toBe(false);
    // And the matcher never proposes the firm without 42006.
    const scope = makeScope({ frameworks: [{ framework: 'iso42001' }] });
    const firm = (c: Credential) =>
      makeFirm({ firmType: 'certification-body', credentials: [c] }, ['iso42001']);
    expect(match([firm(without42006)], scope, CTX).proposals).toEqual([]);
    expect(match([firm(with42006)], scope, CTX).proposals.map((p) => p.firmId)).toEqual(['firm-a']);
  });

  it('27001 needs ISO/IEC 27006-1 and 27701 needs ISO/IEC 27006-2, not another part', () => {
    const schemes = (...schemeStandards: string[]) => ({ schemeStandards });
    const iso27001 = ['ISO/IEC 27001:2022'];
    expect(qualifies('iso27001', accreditation(iso27001, schemes('ISO/IEC 17021-1')))).toBe(false);
    expect(
      qualifies('iso27001', accreditation(iso27001, schemes('ISO/IEC 17021-1', 'ISO/IEC 27006'))),
    ).toBe(false);
    expect(
      qualifies('iso27001', accreditation(iso27001, schemes('ISO/IEC 17021-1', 'ISO/IEC 27006-2'))),
    ).toBe(false);
    expect(
      qualifies(
        'iso27001',
        accreditation(iso27001, schemes('ISO/IEC 17021-1', 'ISO/IEC 27006-1:2024')),
      ),
    ).toBe(true);
    const iso27701 = ['ISO/IEC 27701'];
    expect(
      qualifies('iso27701', accreditation(iso27701, schemes('ISO/IEC 17021-1', 'ISO/IEC 27006-1'))),
    ).toBe(false);
    expect(
      qualifies('iso27701', accreditation(iso27701, schemes('ISO/IEC 17021-1', 'ISO/IEC 27006-2'))),
    ).toBe(true);
    expect(
      problem('iso27701', accreditation(iso27701, schemes('ISO/IEC 17021-1', 'ISO/IEC 27006-1'))),
    ).toBe('its ISO/IEC 27701 accreditation is not under ISO/IEC 27006-2');
  });

  it('a pending or expired accreditation does not count', () => {
    expect(
      qualifies('iso42001', accreditation(['ISO/IEC 42001'], { verification: 'pending' })),
    ).toBe(false);
    expect(qualifies('iso42001', accreditation(['ISO/IEC 42001'], { validTo: '2027-03-09' }))).toBe(
      false,
    );
  });
});

describe('other frameworks', () => {
  it('PCI DSS needs a QSA, HITRUST an authorised assessor', () => {
    expect(qualifies('pci-dss', credential({ kind: 'pci-qsa' }))).toBe(true);
    expect(qualifies('pci-dss', CPA_LICENCE, PEER_REVIEW)).toBe(false);
    expect(qualifies('hitrust', credential({ kind: 'hitrust-assessor' }))).toBe(true);
    expect(qualifies('hitrust', credential({ kind: 'pci-qsa' }))).toBe(false);
  });

  it('HIPAA accepts a CPA licence or any ISO accreditation', () => {
    expect(qualifies('hipaa', CPA_LICENCE)).toBe(true);
    expect(qualifies('hipaa', accreditation(['ISO/IEC 27001']))).toBe(true);
    expect(qualifies('hipaa', PEER_REVIEW)).toBe(false);
    expect(qualifies('hipaa', credential({ kind: 'cpa-licence', verification: 'pending' }))).toBe(
      false,
    );
  });

  it('eligibility reports the credential problem in plain words', () => {
    const firm = makeFirm({
      credentials: [CPA_LICENCE, credential({ kind: 'aicpa-peer-review', validTo: '2027-01-31' })],
    });
    expect(eligibility(firm, makeScope(), CTX).failures).toEqual([
      {
        code: 'no-qualifying-credential',
        framework: 'soc2',
        message: 'Not qualified for SOC 2: AICPA peer review expired on 31 January 2027',
      },
    ]);
  });
});

describe('naming a standard by its number', () => {
  it('counts a year or an edition but never a longer number or another part', () => {
    expect(namesStandard('ISO/IEC 42001:2023', '42001')).toBe(true);
    expect(namesStandard('ISO 42001', '42001')).toBe(true);
    expect(namesStandard('ISO/IEC 142001', '42001')).toBe(false);
    expect(namesStandard('ISO/IEC 420012', '42001')).toBe(false);
    expect(namesStandard('ISO/IEC 27006-1', '27006')).toBe(false);
    expect(namesStandard('ISO/IEC 27006-1:2024', '27006-1')).toBe(true);
    expect(namesStandard('ISO/IEC 27006-12', '27006-1')).toBe(false);
    expect(namesStandard('ISO/IEC 27006-2, ISO/IEC 27006-1', '27006-1')).toBe(true);
  });

  it('agrees with the regular expression it replaced on any text', () => {
    const pattern = (number: string) =>
      new RegExp(`(?<!\\d)${number.replace(/-/g, '\\-')}(?!\\d|-\\d)`);
    const numbers = ['42001', '27001', '27701', '17021-1', '42006', '27006-1', '27006-2'];
    const text = fc
      .array(
        fc.constantFrom('ISO', '/IEC', ' ', '-', ':', '0', '1', '2', '7', '2023', ...numbers),
        {
          maxLength: 8,
        },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.constantFrom(...numbers), (t, number) => {
        expect(namesStandard(t, number)).toBe(pattern(number).test(t));
      }),
      { numRuns: 2000 },
    );
  });
});
