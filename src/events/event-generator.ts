/**
 * Realistic MarTech events of all ten types, deterministic under a seed, cheap per event.
 *
 * Cost model (loadctl issue 2): at start, a pool of events is built and serialised once; per event
 * only the unique id, the timestamp and a (user, session) pair are spliced into a pre-serialised
 * template — no object building and no JSON.stringify in the hot path. Plain ES, no Node APIs, so the
 * same code can be bundled into a k6 script.
 */
import { EVENT_TYPES, type EventType, type IngestEvent } from '../../contract/event-schema.js';
import * as catalog from './catalog.js';
import { createRandom, type Random } from './random.js';

export interface EventGeneratorOptions {
  seed: number;
  /** Makes event ids unique across generators (e.g. per instance and VU); defaults to the seed in base 36. */
  idPrefix?: string;
  /** Distinct users (about 20 % of them browse anonymously). */
  users?: number;
  /** Sessions per user over the run. */
  sessionsPerUser?: number;
  /** Relative weights of the event types; default uniform over all ten. */
  typeWeights?: Partial<Record<EventType, number>>;
  /** Pre-built templates per event type. */
  templatesPerType?: number;
  /** Clock for timestamps (ms since epoch); tests pin it. */
  now?: () => number;
}

export interface EventGenerator {
  /** One event as JSON text. */
  nextEventJson(): string;
  /** `{"batch":[…]}` with `size` events. */
  nextBatchJson(size: number): string;
  /** One event as an object (parses `nextEventJson`; for tests and tools, not hot paths). */
  nextEvent(): IngestEvent;
}

interface Template {
  /** Serialised event from `,"event_type"` to the closing brace. */
  tail: string;
}

const PRODUCTS = Array.from({ length: 500 }, (_, index) => {
  const random = createRandom(index + 1);
  return {
    id: `sku-${String(index).padStart(5, '0')}`,
    name: `${random.pick(['Classic', 'Urban', 'Trail', 'Eco', 'Pro', 'Mini'])} ${random.pick(['Sneaker', 'Tote', 'Jacket', 'Bottle', 'Cap', 'Watch'])}`,
    price: Math.round((5 + random.next() * 295) * 100) / 100,
    category: random.pick(['shoes', 'bags', 'apparel', 'accessories']),
  };
});

export function createEventGenerator(options: EventGeneratorOptions): EventGenerator {
  const random = createRandom(options.seed);
  const now = options.now ?? Date.now;
  const idPrefix = options.idPrefix ?? `g${(options.seed >>> 0).toString(36)}`;
  const identities = buildIdentities(random, options.users ?? 10_000, options.sessionsPerUser ?? 3);
  const templates = buildTemplates(random, options.templatesPerType ?? 64);
  const typeTable = buildTypeTable(options.typeWeights);
  let counter = 0;
  let lastMs = -1;
  let lastIso = '';

  const nextEventJson = (): string => {
    const ms = now();
    if (ms !== lastMs) {
      lastMs = ms;
      lastIso = new Date(ms).toISOString();
    }
    const typeTemplates = templates[typeTable[random.int(typeTable.length)]!]!;
    const template = typeTemplates[random.int(typeTemplates.length)]!;
    const identity = identities[random.int(identities.length)]!;
    return `{"event_id":"${idPrefix}-${(counter++).toString(36)}","timestamp":"${lastIso}",${identity}${template.tail}`;
  };
  return {
    nextEventJson,
    nextBatchJson(size) {
      const events = new Array<string>(size);
      for (let i = 0; i < size; i++) events[i] = nextEventJson();
      return `{"batch":[${events.join(',')}]}`;
    },
    nextEvent: () => JSON.parse(nextEventJson()) as IngestEvent,
  };
}

/** Pre-serialised `"user_id":…,"session_id":…` fragments: realistic id cardinality at no per-event cost. */
function buildIdentities(random: Random, users: number, sessionsPerUser: number): string[] {
  const fragments: string[] = [];
  for (let user = 0; user < users; user++) {
    const anonymous = random.next() < 0.2;
    const id = `${anonymous ? 'anon' : 'usr'}_${hex(random, 12)}`;
    for (let session = 0; session < sessionsPerUser; session++) {
      fragments.push(`"${anonymous ? 'anonymous_id' : 'user_id'}":"${id}","session_id":"ses_${hex(random, 16)}"`);
    }
  }
  return fragments;
}

function buildTemplates(random: Random, perType: number): Record<EventType, Template[]> {
  const result = {} as Record<EventType, Template[]>;
  for (const type of EVENT_TYPES) {
    result[type] = Array.from({ length: perType }, () => {
      const json = JSON.stringify({ event_type: type, properties: buildProperties(type, random), context: buildContext(random) });
      return { tail: `,${json.slice(1)}` };
    });
  }
  return result;
}

/** Type-specific properties; each type carries what the target-service contract requires and more. */
export function buildProperties(type: EventType, random: Random): Record<string, unknown> {
  const product = random.pick(PRODUCTS);
  const page = random.int(catalog.PAGE_PATHS.length);
  switch (type) {
    case 'session_start':
      return {
        device: random.pick(catalog.DEVICES),
        os: random.pick(catalog.OPERATING_SYSTEMS),
        browser: random.pick(catalog.BROWSERS),
        utm_source: random.pick(catalog.UTM_SOURCES),
        utm_medium: random.pick(catalog.UTM_MEDIUMS),
        utm_campaign: random.pick(catalog.UTM_CAMPAIGNS),
        landing_page: `${catalog.SITE}${catalog.PAGE_PATHS[page]}`,
      };
    case 'page_view':
      return {
        url: `${catalog.SITE}${catalog.PAGE_PATHS[page]}`,
        referrer: random.pick(catalog.REFERRERS),
        title: catalog.PAGE_TITLES[page],
      };
    case 'search': {
      const query = random.pick(catalog.SEARCH_TERMS);
      return { query, terms: query.split(' '), results_count: random.int(240) };
    }
    case 'purchase': {
      const items = Array.from({ length: 1 + random.int(4) }, () => {
        const item = random.pick(PRODUCTS);
        return { product_id: item.id, name: item.name, price: item.price, quantity: 1 + random.int(3) };
      });
      const amount = Math.round(items.reduce((sum, item) => sum + item.price * item.quantity, 0) * 100) / 100;
      return { order_id: `ord_${hex(random, 10)}`, amount, currency: random.pick(catalog.CURRENCIES), items };
    }
    case 'add_to_cart':
    case 'remove_from_cart':
      return { product_id: product.id, name: product.name, category: product.category, quantity: 1 + random.int(3), price: product.price };
    case 'button_click': {
      const button = random.pick(catalog.BUTTONS);
      return { button_id: button.id, text: button.text, page: catalog.PAGE_PATHS[page] };
    }
    case 'form_submit': {
      const form = random.pick(catalog.FORMS);
      return { form_id: form.id, fields: [...form.fields], success: random.next() > 0.1 };
    }
    case 'video_play':
    case 'video_pause': {
      const video = random.pick(catalog.VIDEOS);
      return { video_id: video.id, position: Math.round(random.next() * video.duration * 10) / 10, duration: video.duration };
    }
  }
}

function buildContext(random: Random): Record<string, unknown> {
  return { library: 'loadctl', locale: random.pick(['en-US', 'en-GB', 'de-DE', 'fr-FR', 'ja-JP']), ip: `203.0.113.${random.int(255)}` };
}

/** Weighted lookup table: type indices repeated by weight, so picking is one random int. */
function buildTypeTable(weights: Partial<Record<EventType, number>> | undefined): EventType[] {
  const table: EventType[] = [];
  for (const type of EVENT_TYPES) {
    const weight = weights ? (weights[type] ?? 0) : 1;
    for (let i = 0; i < Math.round(weight * 10); i++) table.push(type);
  }
  if (table.length === 0) throw new Error('typeWeights gives every event type weight 0');
  return table;
}

function hex(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += '0123456789abcdef'[random.int(16)];
  return out;
}
