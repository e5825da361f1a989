import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scopeOf } from '../../tenancy/index.js';
import { portfolioOut } from '../responses.js';
import type { PortfolioService } from './service.js';

/** The portfolio at a glance (the console's overview): loans by program and status, and by delinquency bucket. */
export const portfolioRoutes: FastifyPluginAsyncZod<{ portfolio: PortfolioService }> = async (
  app,
  { portfolio },
) => {
  app.get(
    '/v1/portfolio',
    {
      schema: {
        tags: ['loans'],
        summary:
          'Loans and amounts by program and status, and the serviced loans by delinquency bucket, with the business date',
        response: { 200: portfolioOut },
      },
    },
    async (req) => {
      const { businessDate, programs, buckets } = await portfolio.summary(scopeOf(req));
      return {
        business_date: businessDate,
        by_program: programs.map((p) => ({
          program_id: p.programId,
          program_name: p.programName,
          status: p.status,
          currency: p.currency,
          loans: p.loans,
          amount: p.amount,
        })),
        by_delinquency_bucket: buckets,
      };
    },
  );
};
