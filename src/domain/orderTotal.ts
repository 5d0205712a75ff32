// What a WhatsApp catalog cart costs in whole shillings: price × quantity of every item, when
// every item has a price and the cart is in Kenyan shillings (or names no currency). Null when the
// total cannot honestly be asked for by M-Pesa (a missing price, another currency, cents).
import type { Order } from './messageDescriptions.js';

export function orderTotalShillings(order: Order): number | null {
  if (order.items.length === 0) return null;
  if (order.items.some((i) => i.price === null || (i.currency !== null && i.currency.toUpperCase() !== 'KES')))
    return null;
  const total = order.items.reduce((sum, i) => sum + (i.price ?? 0) * i.quantity, 0);
  const rounded = Math.round(total * 100) / 100;
  return Number.isInteger(rounded) && rounded > 0 ? rounded : null;
}
