/**
 * Routing for fleets: two regions of one model with a quota each, a dead region found by a health
 * check before any user meets it, a conversation kept on one deployment, and a call kept in the EU.
 * On the embedded mock:
 *   npx tsx examples/fleet.ts
 */
import { ConfigError, createTieredClient, defineCatalog } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const [eu, us, apac] = await Promise.all([startMockOpenAI(), startMockOpenAI(), startMockOpenAI()]);
  // apac is down: its API answers 503s, to the health check's GET /models too.
  apac.setModelsReply({ status: 503 });
  apac.setReply('gpt-4o-mini', { status: 503 });

  const mini = { id: 'gpt-4o-mini', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128_000 } as const;
  const healthCheck = { intervalMs: 15_000 };
  const catalog = defineCatalog({
    providers: {
      apac: { apiKey: 'sk-demo-apac', baseURL: apac.url, healthCheck },
      eu: { apiKey: 'sk-demo-eu', baseURL: eu.url, healthCheck },
      us: { apiKey: 'sk-demo-us', baseURL: us.url, healthCheck },
    },
    tiers: ['economy'],
    models: [
      { ...mini, provider: 'apac', region: 'apac' },
      // A quota of 3 requests a minute: the fourth call of the minute goes elsewhere.
      { ...mini, provider: 'eu', region: 'eu', limits: { rpm: 3 } },
      { ...mini, provider: 'us', region: 'us' },
    ],
  });
  // Nearest first: apac, then eu; us last.
  const client = createTieredClient({ catalog, region: ['apac', 'eu'] });
  // The first probes go out as the client is made: wait for apac's verdict before the first call.
  await new Promise<void>((resolve) => {
    const off = client.on('health:probe', (probe) => {
      if (probe.provider !== 'apac') return;
      log(`health: apac ${probe.ok ? 'up' : `down (${probe.error?.code ?? probe.status})`}`);
      off();
      resolve();
    });
  });

  // One conversation, four turns: apac is skipped unasked (its breaker is open), then EU until its quota is used up.
  const messages = [
    { role: 'system' as const, content: 'You are a travel agent.' },
    { role: 'user' as const, content: 'A weekend in Lisbon?' },
  ];
  for (let turn = 1; turn <= 4; turn++) {
    const r = await client.tieredChat({ model: 'economy', messages });
    const skipped = r.attempts.filter((a) => a.outcome === 'skipped').map((a) => `${a.provider} ${a.errorCode}`);
    log(`turn ${turn}: ${r.provider}${skipped.length === 0 ? '' : ` (skipped: ${skipped.join(', ')})`}`);
    messages.push({ role: 'user' as const, content: `And on day ${turn}?` });
  }

  log(`apac received ${apac.requests.filter((r) => r.path === '/v1/chat/completions').length} chat requests`);

  // Data residency: a call that must stay in the EU, whose EU deployment has no room left this minute.
  try {
    await client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: 'Hi' }] }, { region: 'eu' });
  } catch (error) {
    log(`in the EU only: ${error instanceof Error ? error.name : String(error)}`);
  }
  // A region the catalog does not have is refused before anything is sent.
  try {
    await client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: 'Hi' }] }, { region: 'mars' });
  } catch (error) {
    if (ConfigError.isInstance(error)) log(`refused: ${error.message}`);
  }

  await client.close();
  await Promise.all([eu.close(), us.close(), apac.close()]);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
