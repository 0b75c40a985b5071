// The user's own handlers: a fetch handler and a job on a cron of their own.
// The generated entry adds the archiver's cron next to them.

/** The crons this module's own `scheduled` handler saw (read by the tests). */
export const ownScheduledRuns: string[] = [];

export default {
  async fetch(): Promise<Response> {
    return new Response('ledger api');
  },
  async scheduled(controller: ScheduledController): Promise<void> {
    ownScheduledRuns.push(controller.cron);
  },
} satisfies ExportedHandler;
