// The crowd's plan, drawn from a seed so both runs of a surge (protected and contrast) face the
// very same visitors: when each arrives, who waits on SSE and who polls, who gives up waiting.
import { seededRandom } from '../bench/booking/crowd.ts';

export interface CrowdConfig {
  /** protected: through the waiting room; contrast: straight at the booking API, tokens minted. */
  mode: 'protected' | 'contrast';
  visitors: number;
  windowS: number;
  seed: number;
  /** Epoch ms of the opening: arrival offsets count from here. */
  releaseAtMs: number;
  /** Share of waiting visitors who hold an SSE stream instead of polling. */
  sseShare: number;
  /** Share of visitors who leave the queue before their turn. */
  abandonShare: number;
  roomId: string;
  journeyId: number;
  classCode: string;
  quota: string;
  waitingRoomUrls: string[];
  bookingUrls: string[];
  /** Contrast only: admission tokens, one line per visitor. */
  tokensFile: string | null;
  requestTimeoutMs: number;
  /** Retries of a step answered 503, timed out or reset (same Idempotency-Key). */
  retries: number;
  /** The driver stops by itself after this. */
  budgetS: number;
  /** Keep-alive sockets per service instance: high, so the crowd is not queued in the client. */
  maxSockets: number;
  resultsFile: string;
}

/** Share of the crowd that arrives in the first second of the sale. */
export const spikeShare = 0.25;

/**
 * Arrival offsets (ms from opening), ascending: a spike at opening (`spikeShare` within the
 * first second), then a tail that thins out (exponential, mean a quarter of the window)
 * truncated to the window.
 */
export function arrivalOffsetsMs(count: number, windowS: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const windowMs = windowS * 1000;
  const tau = windowMs / 4;
  const tailMass = 1 - Math.exp(-windowMs / tau);
  const offsets = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const u = random();
    offsets[i] =
      random() < spikeShare
        ? Math.min(windowMs, 1000 * u)
        : Math.min(windowMs, -tau * Math.log(1 - u * tailMass));
  }
  return offsets.sort();
}

export interface VisitorPlan {
  arrivalMs: Float64Array;
  usesSse: Uint8Array;
  /** ms after joining at which the visitor leaves the queue; 0 = stays. */
  abandonAfterMs: Float64Array;
}

export function crowdPlan(
  config: Pick<CrowdConfig, 'visitors' | 'windowS' | 'seed' | 'sseShare' | 'abandonShare'>,
): VisitorPlan {
  const arrivalMs = arrivalOffsetsMs(config.visitors, config.windowS, config.seed);
  const random = seededRandom(config.seed ^ 0x5eed);
  const usesSse = new Uint8Array(config.visitors);
  const abandonAfterMs = new Float64Array(config.visitors);
  for (let i = 0; i < config.visitors; i++) {
    usesSse[i] = random() < config.sseShare ? 1 : 0;
    abandonAfterMs[i] = random() < config.abandonShare ? 2_000 + 18_000 * random() : 0;
  }
  return { arrivalMs, usesSse, abandonAfterMs };
}
