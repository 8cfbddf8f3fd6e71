/** The mock provider in a process of its own, so that it does not share an event loop with the clients being measured. */
import { startMockOpenAI } from 'tiered-llm/testing';

// About 1 KB of answer, streamed in 52 chunks.
const content = 'Benchmarks compare like with like: the same mock, the same prompt, the same loopback. '.repeat(12);
const mock = await startMockOpenAI({ defaultReply: { content, chunkChars: 20 } });
process.send?.({ url: mock.url });
process.on('disconnect', () => void mock.close().then(() => process.exit(0)));
