import type { DemoScriptedCase } from './DemoScriptedCase.js';

/** What the support assistant knows: the FAQ cases are answerable from it alone. */
const FACTS = `You answer for Acme Notes support. Facts: plans are Free, Pro ($8 per user per month) and Team ($15 per user per month). Team adds shared workspaces, admin controls and one invoice. Annual plans are refundable within 30 days of purchase. Export: Settings > Export, as Markdown or PDF. Offline mode: Pro and Team only.`;

const support = (question: string) => [
  { role: 'system' as const, content: FACTS },
  { role: 'user' as const, content: question },
];

/** Questions a support assistant answers: FAQ from the facts, and reasoning over them. */
export const QUESTION_CASES: readonly DemoScriptedCase[] = [
  {
    case: {
      id: 'faq-refund',
      tags: ['faq'],
      messages: support('Can I get my money back on an annual plan? How long do I have?'),
      check: { contains: '30 days' },
    },
    answers: {
      mini: { text: 'Yes, within 30 days.', pass: true },
      mid: { text: 'Yes: annual plans are refundable within 30 days of purchase.', pass: true },
      max: {
        text: 'Yes. Annual plans are refundable within 30 days of purchase; reply with your invoice number and we will process it.',
        pass: true,
      },
    },
  },
  {
    case: {
      id: 'faq-export',
      tags: ['faq'],
      messages: support('How do I export all my notes?'),
      check: { contains: ['Settings', 'Export'] },
    },
    answers: {
      mini: { text: 'Settings > Export.', pass: true },
      mid: { text: 'Open Settings > Export and choose Markdown or PDF.', pass: true },
      max: {
        text: 'Open Settings > Export, then choose Markdown (editable) or PDF (for sharing); every notebook is included.',
        pass: true,
      },
    },
  },
  {
    case: {
      id: 'faq-offline',
      tags: ['faq'],
      messages: support('Does the Free plan work offline?'),
      expected: 'No. Offline mode is only on the Pro and Team plans.',
    },
    answers: {
      mini: { text: 'No, offline mode is a paid feature.', grade: 0.75 },
      mid: { text: 'No. Offline mode needs the Pro or Team plan.', grade: 1 },
      max: { text: 'No. Offline mode is part of the Pro and Team plans; on Free, notes need a connection to open.', grade: 1 },
    },
  },
  {
    case: {
      id: 'reasoning-seats',
      tags: ['reasoning'],
      prompt: 'A Team plan costs $15 per user per month. A company of 12 users pays yearly with a 20% discount. What do they pay per year?',
      expected: '$1,728 per year: 12 × $15 × 12 = $2,160, minus 20%.',
    },
    answers: {
      mini: { text: '$2,160 per year.', grade: 0.25 },
      mid: { text: '$1,728 a year.', grade: 'rambles' },
      max: { text: '$1,728 per year: 12 users × $15 × 12 months = $2,160, and 20% off leaves $1,728.', grade: 1 },
    },
  },
  {
    case: {
      id: 'reasoning-downgrade',
      tags: ['reasoning'],
      messages: support('We are 5 users on Team. If we all move to Pro to save money, what do we lose? Be brief.'),
    },
    answers: {
      mini: { text: 'Nothing important: Pro has the same features.', grade: 0 },
      mid: { text: 'You lose shared workspaces and admin controls; each user pays $8 instead of $15.', grade: 0.75 },
      max: {
        text: 'You lose shared workspaces, admin controls and the single invoice. Each user pays $8 instead of $15 a month, so the team saves $35 a month.',
        grade: 1,
      },
    },
  },
  {
    case: {
      id: 'reply-pdf-export',
      tags: ['faq'],
      prompt: 'Write a two-sentence reply to a customer whose PDF export fails on a large notebook.',
    },
    answers: {
      mini: { text: 'Sorry about that! Please try again later.', grade: 0.25 },
      mid: {
        text: 'Sorry for the trouble. Large notebooks can time out as PDF; please export them section by section, or as Markdown.',
        grade: 0.75,
      },
      max: {
        text: 'Sorry that your export failed: very large notebooks can time out when rendered as PDF. Please export it section by section or as Markdown, and reply here if that fails too, so we can look at your notebook.',
        grade: 1,
      },
    },
  },
];
