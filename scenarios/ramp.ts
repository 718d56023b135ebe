/**
 * A ramping-arrival-rate example: warm up to 1K RPS, hold, climb to 5K RPS, come back down — the open
 * model throughout (iterations are due on schedule whatever the target does). Plus a light constant
 * stream of searches and purchases that starts 30 s in, to show per-sub-scenario event mixes.
 */
import { defineScenario } from '../src/scenario/define-scenario.js';

export default defineScenario({
  name: 'ramp',
  description: 'ramp 0 → 1K → 5K → 0 RPS over 3 min, with a constant 200 RPS commerce stream',
  subScenarios: [
    {
      name: 'browse',
      executor: 'ramping-arrival-rate',
      startRate: 0,
      stages: [
        { duration: '30s', target: 1000 },
        { duration: '1m', target: 1000 },
        { duration: '30s', target: 5000 },
        { duration: '1m', target: 0 },
      ],
      eventTypes: { page_view: 6, session_start: 1, search: 2, button_click: 2, video_play: 1, video_pause: 1 },
    },
    {
      name: 'commerce',
      rate: 200,
      startTime: '30s',
      duration: '2m',
      batchSize: 10,
      eventTypes: { search: 2, add_to_cart: 3, remove_from_cart: 1, purchase: 1, form_submit: 1 },
      preAllocatedVUs: 20,
      maxVUs: 50,
    },
  ],
});
