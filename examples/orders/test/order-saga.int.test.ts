import { introspectWorkflowInstance } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { aggregateClients, sagaInstanceId, startWorkflowOnce } from '@escf/cloudflare';
import { describe, expect, it } from 'vitest';
import { Order } from '../src/order.js';
import type { OrdersEnv } from '../src/worker-env.js';

const testEnv = env as unknown as OrdersEnv;
const orders = aggregateClients({ order: { aggregate: Order, binding: 'ORDER_AGGREGATE' } });
let n = 0;
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}`;

async function payment(orderId: string) {
  return testEnv.ORDERS_DB.prepare('SELECT amount, status FROM payments WHERE order_id = ?')
    .bind(orderId)
    .first<{ amount: number; status: string }>();
}

async function placeAndWatch(address: string) {
  const orderId = uniqueId('order');
  const placed = await orders(testEnv).order(orderId).place({ amount: 42, address });
  const instanceId = sagaInstanceId('order-fulfilment', placed.events[0]!);
  // The queue delivers OrderPlaced to the process about a second later: introspect before it starts.
  const instance = await introspectWorkflowInstance(testEnv.ORDER_SAGA, instanceId);
  return { orderId, instanceId, instance, placed };
}

describe('order fulfilment saga (Workflows)', () => {
  it('charges, ships and fulfils the order', async () => {
    const { orderId, instance } = await placeAndWatch('1 Main Street');
    await instance.waitForStatus('complete');
    expect(await instance.getOutput()).toEqual({
      status: 'completed',
      output: { paymentId: `pay-${orderId}`, trackingId: `trk-${orderId}` },
    });
    expect(await payment(orderId)).toEqual({ amount: 42, status: 'charged' });
    expect(await orders(testEnv).order.state(orderId)).toMatchObject({
      state: { status: 'fulfilled', note: `trk-${orderId}` },
    });
    await instance.dispose();
  });

  it('refunds the payment and cancels the order when shipping fails', async () => {
    const { orderId, instance } = await placeAndWatch('nowhere');
    await instance.waitForStatus('complete');
    const output = (await instance.getOutput()) as { status: string; compensated: string[] };
    expect(output).toMatchObject({ status: 'compensated', compensated: ['compensate: charge payment'] });
    expect(await payment(orderId)).toEqual({ amount: 42, status: 'refunded' });
    expect(await orders(testEnv).order.state(orderId)).toMatchObject({ state: { status: 'cancelled' } });
    await instance.dispose();
  });

  it('starts one saga per event: a second start with the same id joins the running instance', async () => {
    const { orderId, instanceId, instance } = await placeAndWatch('2 Side Street');
    await instance.waitForStatus('complete');
    const again = await startWorkflowOnce(testEnv.ORDER_SAGA, instanceId, {
      orderId,
      amount: 42,
      address: '2 Side Street',
      eventId: 'x',
      correlationId: 'x',
    });
    expect(again.id).toBe(instanceId);
    const { results } = await testEnv.ORDERS_DB.prepare('SELECT COUNT(*) AS n FROM payments WHERE order_id = ?')
      .bind(orderId)
      .all<{ n: number }>();
    expect(results[0]!.n).toBe(1);
    await instance.dispose();
  });
});
