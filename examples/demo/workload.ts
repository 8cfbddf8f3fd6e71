/** The demo's questions: a mix of easy, middling and hard, named for a tier or left to 'auto'. */
export const questions: readonly { readonly tier: 'economy' | 'cold' | 'warm' | 'hot'; readonly text: string }[] = [
  { tier: 'economy', text: 'What is the capital of France?' },
  { tier: 'economy', text: 'Translate "good morning" into Spanish.' },
  { tier: 'cold', text: 'Summarise the plot of Hamlet in three sentences.' },
  { tier: 'cold', text: 'Write a haiku about caching.' },
  { tier: 'warm', text: 'Explain the trade-offs between a circuit breaker and a retry budget.' },
  { tier: 'warm', text: 'Write a TypeScript function that debounces another function, with tests.' },
  { tier: 'hot', text: 'Prove step by step that every tree with n nodes has n - 1 edges, and analyze the base case.' },
  { tier: 'hot', text: 'Design the architecture of a multi-region rate limiter and compare three approaches.' },
  { tier: 'economy', text: 'What is 17 times 23?' },
  { tier: 'cold', text: 'List five uses of a hash map.' },
];
