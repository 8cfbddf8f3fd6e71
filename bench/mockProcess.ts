/** The mock provider in a process of its own, so that it does not share an event loop with the clients being measured. */
import { startMockOpenAI } from 'tiered-llm/testing';

const content = 'Benchmarks compare like with like: the same mock, the same prompt, the same loopback. '.repeat(5);
const mock = await startMockOpenAI({ defaultReply: { content, chunkChars: 8 } });
process.send?.({ url: mock.url });
process.on('disconnect', () => void mock.close().then(() => process.exit(0)));
