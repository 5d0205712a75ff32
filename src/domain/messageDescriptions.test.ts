import { describe, expect, it } from 'vitest';
import {
  contactNames,
  contactsOf,
  describeLocation,
  describeOrder,
  editedTextOf,
  innerTypeOf,
  locationOf,
  orderOf,
  reactionOf,
} from './messageDescriptions.js';

describe('locations', () => {
  it('describes a named place with its address, coordinates and a map link', () => {
    const location = locationOf({
      location: {
        latitude: 37.4611978,
        longitude: -122.2164385,
        name: 'Facebook HQ',
        address: '1 Hacker Way, Menlo Park',
        url: 'https://maps.google.com/?cid=2',
      },
    });
    expect(location).toEqual({
      latitude: 37.4611978,
      longitude: -122.2164385,
      name: 'Facebook HQ',
      address: '1 Hacker Way, Menlo Park',
      url: 'https://maps.google.com/?cid=2',
    });
    const text = describeLocation(location!);
    expect(text).toContain('Place: Facebook HQ, 1 Hacker Way, Menlo Park');
    expect(text).toContain('Coordinates: 37.4611978, -122.2164385');
    expect(text).toContain('https://www.google.com/maps/search/?api=1&query=37.4611978,-122.2164385');
    expect(text).toContain('Link they sent: https://maps.google.com/?cid=2');
  });

  it('describes bare coordinates, and refuses a location without usable ones', () => {
    const text = describeLocation(locationOf({ location: { latitude: '-1.2921', longitude: '36.8219' } })!);
    expect(text).not.toContain('Place:');
    expect(text).toContain('Coordinates: -1.2921, 36.8219');
    expect(locationOf({ location: { latitude: 95, longitude: 10 } })).toBeNull();
    expect(locationOf({ location: { name: 'Somewhere' } })).toBeNull();
    expect(locationOf({})).toBeNull();
  });
});

describe('contacts', () => {
  it('names each card by its name, or its number when it has none', () => {
    const cards = contactsOf({
      contacts: [
        { name: { formatted_name: 'Chandler Bing' }, phones: [{ phone: '+1 555-555-5555' }] },
        { name: { first_name: 'Monica' }, phones: [] },
        { phones: [{ wa_id: '254700000001' }] },
        'not a card',
      ],
    });
    expect(cards).toEqual([
      { name: 'Chandler Bing', phones: ['+1 555-555-5555'] },
      { name: 'Monica', phones: [] },
      { name: null, phones: ['254700000001'] },
    ]);
    expect(contactNames(cards)).toBe('Chandler Bing, Monica and 254700000001');
    expect(contactNames(cards.slice(0, 1))).toBe('Chandler Bing');
    expect(contactNames([])).toBe('');
    expect(contactsOf({ contacts: 'x' })).toEqual([]);
  });
});

describe('orders', () => {
  it('lists the items and the total when every item is priced in one currency', () => {
    const order = orderOf({
      order: {
        catalog_id: '1',
        text: 'No onions please',
        product_items: [
          { product_retailer_id: 'HAMBURGER', quantity: 3, item_price: 30, currency: 'ILS' },
          { product_retailer_id: 'SODA', quantity: '2', item_price: 10, currency: 'ILS' },
          { quantity: 1 },
        ],
      },
    });
    expect(describeOrder(order!)).toBe(
      ['3 × HAMBURGER (30 ILS each)', '2 × SODA (10 ILS each)', 'Total: 110 ILS', 'Note: No onions please'].join('\n'),
    );
  });

  it('leaves the total out when prices are missing or in several currencies', () => {
    const mixed = orderOf({
      order: {
        product_items: [
          { product_retailer_id: 'A', quantity: 1, item_price: 5, currency: 'USD' },
          { product_retailer_id: 'B', quantity: 1, item_price: 5, currency: 'KES' },
        ],
      },
    });
    expect(describeOrder(mixed!)).not.toContain('Total');
    expect(describeOrder(orderOf({ order: { product_items: [{ product_retailer_id: 'A' }] } })!)).toBe('1 × A');
    expect(orderOf({ order: { product_items: [], text: '' } })).toBeNull();
  });
});

describe('edits, reactions and inner types', () => {
  it('reads the new text or caption of an edited message', () => {
    expect(editedTextOf({ edit: { message: { type: 'text', text: { body: 'new words' } } } })).toBe('new words');
    expect(editedTextOf({ edit: { message: { type: 'image', image: { caption: 'Updated caption', id: '1' } } } })).toBe(
      'Updated caption',
    );
    expect(editedTextOf({ edit: { message: { type: 'image', image: { id: '1' } } } })).toBeNull();
    expect(editedTextOf({ edit: 'x' })).toBeNull();
  });

  it('reads a reaction, with no emoji when it was removed', () => {
    expect(reactionOf({ reaction: { message_id: 'wamid.1', emoji: '👍' } })).toEqual({
      messageId: 'wamid.1',
      emoji: '👍',
    });
    expect(reactionOf({ reaction: { message_id: 'wamid.1', emoji: '' } })).toEqual({
      messageId: 'wamid.1',
      emoji: null,
    });
    expect(reactionOf({ reaction: { message_id: 'wamid.1' } })).toEqual({ messageId: 'wamid.1', emoji: null });
  });

  it("reads a system or interactive message's own type", () => {
    expect(innerTypeOf({ system: { type: 'user_changed_number' } }, 'system')).toBe('user_changed_number');
    expect(innerTypeOf({ interactive: { type: 'call_permission_reply' } }, 'interactive')).toBe(
      'call_permission_reply',
    );
    expect(innerTypeOf({}, 'system')).toBeNull();
  });
});
