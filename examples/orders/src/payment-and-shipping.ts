// Stand-ins for external services (a payment provider, a carrier), kept in
// D1 so tests can see every charge, refund and shipment.

/** Charges and refunds; idempotent per order, as real providers are per idempotency key. */
export class Payments {
  constructor(private readonly db: D1Database) {}

  async charge(orderId: string, amount: number): Promise<{ paymentId: string }> {
    const paymentId = `pay-${orderId}`;
    await this.db
      .prepare(
        "INSERT INTO payments (payment_id, order_id, amount, status) VALUES (?, ?, ?, 'charged') ON CONFLICT (payment_id) DO NOTHING",
      )
      .bind(paymentId, orderId, amount)
      .run();
    return { paymentId };
  }

  async refund(paymentId: string): Promise<void> {
    await this.db.prepare("UPDATE payments SET status = 'refunded' WHERE payment_id = ?").bind(paymentId).run();
  }
}

/** Ships parcels; there is no road to 'nowhere'. */
export class Shipping {
  constructor(private readonly db: D1Database) {}

  async ship(orderId: string, address: string): Promise<{ trackingId: string }> {
    if (address === 'nowhere') throw new Error(`Cannot ship order ${orderId} to '${address}'`);
    const trackingId = `trk-${orderId}`;
    await this.db
      .prepare('INSERT INTO shipments (tracking_id, order_id) VALUES (?, ?) ON CONFLICT DO NOTHING')
      .bind(trackingId, orderId)
      .run();
    return { trackingId };
  }
}

export const ORDERS_SCHEMA = [
  'CREATE TABLE IF NOT EXISTS payments (payment_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, amount INTEGER NOT NULL, status TEXT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS shipments (tracking_id TEXT PRIMARY KEY, order_id TEXT NOT NULL)',
];
