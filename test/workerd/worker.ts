export default {
  async fetch(): Promise<Response> {
    return new Response('ESCF core test worker');
  },
} satisfies ExportedHandler;
