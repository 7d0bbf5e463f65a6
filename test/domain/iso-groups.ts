/** The requirement clauses of an ISO management-system standard, as group ids. */
export const CLAUSE_GROUP_IDS = ['4', '5', '6', '7', '8', '9', '10'];

/** ISO/IEC 42001's groups in the order the overlap chart shows them: clauses, then Annex A. */
export const ISO42001_GROUP_IDS = [
  ...CLAUSE_GROUP_IDS,
  ...['A.2', 'A.3', 'A.4', 'A.5', 'A.6', 'A.7', 'A.8', 'A.9', 'A.10'],
];

/** ISO/IEC 27001's groups: clauses, then the four themes of Annex A. */
export const ISO27001_GROUP_IDS = [...CLAUSE_GROUP_IDS, 'A.5', 'A.6', 'A.7', 'A.8'];
