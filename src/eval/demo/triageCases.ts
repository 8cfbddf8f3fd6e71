import type { DemoScriptedCase } from './DemoScriptedCase.js';

const orderSchema = {
  type: 'object',
  required: ['orderId', 'quantity'],
  properties: { orderId: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } },
};

/** Tickets to triage: classify them, and extract what the help desk's tools need. */
export const TRIAGE_CASES: readonly DemoScriptedCase[] = [
  {
    case: {
      id: 'classify-intent',
      tags: ['classification'],
      prompt:
        'Classify this message as billing, bug or feature_request. Answer with the label only.\n\nMessage: "I was charged twice for March."',
      check: { equals: 'billing' },
    },
    answers: { mini: { text: 'billing', pass: true }, mid: { text: 'billing', pass: true }, max: { text: 'billing', pass: true } },
  },
  {
    case: {
      id: 'classify-urgency',
      tags: ['classification'],
      prompt: 'Is this ticket urgent? Answer yes or no.\n\nTicket: "Our whole team has been locked out since the SSO change this morning."',
      check: { regex: '/^(yes|no)$/i' },
    },
    answers: {
      mini: { text: 'It might be urgent, depending on the size of the team.', pass: false },
      mid: { text: 'Yes.', pass: false },
      max: { text: 'yes', pass: true },
    },
  },
  {
    case: {
      id: 'classify-sentiment',
      tags: ['classification'],
      prompt: 'What is the sentiment of this review?\n\nReview: "The sync is fast, but the new editor keeps losing my cursor position."',
      expected: 'Mixed, leaning negative: the sync is praised, the editor bug is the complaint.',
    },
    answers: {
      mini: { text: 'Positive.', grade: 0 },
      mid: { text: 'Negative: the editor loses the cursor.', grade: 0.75 },
      max: {
        text: 'Mixed, leaning negative: the reviewer likes the fast sync but is frustrated by the editor losing the cursor.',
        grade: 1,
      },
    },
  },
  {
    case: {
      id: 'extract-order',
      tags: ['extraction'],
      prompt:
        'Extract the order as JSON with orderId (string) and quantity (integer).\n\nEmail: "Hi, please send 3 more licences on order A-1042. Thanks, Dana"',
      check: { jsonSchema: orderSchema },
    },
    answers: {
      mini: { text: '{"orderId": "A-1042", "quantity": "3"}', pass: false },
      mid: { text: 'Here is the order:\n```json\n{"orderId": "A-1042", "quantity": 3}\n```', pass: true },
      max: { text: '{"orderId": "A-1042", "quantity": 3}', pass: true },
    },
  },
  {
    case: {
      id: 'extract-contact',
      tags: ['extraction'],
      prompt: 'Return the sender\'s name and email as a JSON object.\n\nSignature: "Priya Raman, Head of Ops, priya@northwind.io"',
      check: { json: true, contains: 'priya@northwind.io' },
    },
    answers: {
      mini: { text: '{"name": "Priya Raman", "email": "priya@northwind.io"}', pass: true },
      mid: { text: '{"name": "Priya Raman", "email": "priya@northwind.io"}', pass: true },
      max: { text: '{"name": "Priya Raman", "email": "priya@northwind.io", "title": "Head of Ops"}', pass: true },
    },
  },
  {
    case: {
      id: 'extract-date',
      tags: ['extraction'],
      prompt:
        'When does the customer want the call? Answer with the ISO date only.\n\nMessage, sent on Tuesday 2026-12-01: "Could we do the onboarding call this Friday?"',
      check: { equals: '2026-12-04' },
    },
    answers: {
      mini: { text: 'Friday', pass: false },
      mid: { text: '2026-12-04', pass: true },
      max: { text: '2026-12-04', pass: true },
    },
  },
];
