import type { z } from 'zod';
import type { ReportGenerator } from '../domain/index.js';
import { instants, periodParams, type ReportSource } from './source.js';

const params = periodParams({});

/** Every warn and block of the compliance rules in a period (UTC days), oldest first. */
export const complianceExceptions: ReportGenerator<z.output<typeof params>, ReportSource> = {
  key: 'compliance_exceptions',
  displayName: 'Compliance exceptions',
  description:
    'Every warn and block of the compliance rules between two dates (UTC), with reasons and citation',
  paramsSchema: params,
  run(p, source) {
    const counts = { warn: 0, block: 0 };
    async function* rows() {
      for await (const c of source.exceptions(instants(p.from, p.to))) {
        if (c.outcome === 'warn') counts.warn++;
        else if (c.outcome === 'block') counts.block++;
        yield {
          at: c.at.toISOString(),
          hook: c.hook,
          rule: c.rule,
          outcome: c.outcome,
          subject_type: c.subjectType,
          subject_id: c.subjectId,
          program_id: c.programId,
          reasons: c.reasons.join('; '),
          citation: c.citation,
          evaluation_id: c.evaluationId,
        };
      }
    }
    return {
      columns: [
        { key: 'at', label: 'At (UTC)', type: 'string' },
        { key: 'hook', label: 'Hook', type: 'string' },
        { key: 'rule', label: 'Rule', type: 'string' },
        { key: 'outcome', label: 'Outcome', type: 'string' },
        { key: 'subject_type', label: 'Subject', type: 'string' },
        { key: 'subject_id', label: 'Subject id', type: 'string' },
        { key: 'program_id', label: 'Program', type: 'string' },
        { key: 'reasons', label: 'Reasons', type: 'string' },
        { key: 'citation', label: 'Citation', type: 'string' },
        { key: 'evaluation_id', label: 'Evaluation', type: 'string' },
      ],
      rows: rows(),
      summary: () => ({
        rows: counts.warn + counts.block,
        figures: [
          { label: 'Warnings', value: counts.warn, type: 'integer' },
          { label: 'Blocks', value: counts.block, type: 'integer' },
        ],
      }),
    };
  },
};
